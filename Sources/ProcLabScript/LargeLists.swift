// The buffer of a list that grows past a few MiB, backed by huge pages. Growing by doubling
// writes each new buffer afresh: after the f-string benchmark had raised glibc's mmap
// threshold, the lists benchmark spent over half its time faulting in 4 KiB pages (29,500
// faults). Asking the kernel for 2 MiB pages where it has them (MADV_HUGEPAGE; a no-op where
// transparent huge pages are off) halved the faults and took a sixth off the program's time,
// with no memory kept back: keeping freed memory for reuse instead (glibc's thresholds fixed)
// made every later fork copy its page tables (see bench/README.md).
import Glibc

enum LargeLists {
  /// Lists of at least this many items (2 MiB of values) grow here.
  static let minimumItems = (2 << 20) / MemoryLayout<Value>.stride

  /// Doubles the capacity of `items` as Array's own growth would, into a buffer advised to
  /// take huge pages before anything is written to it.
  static func grow(_ items: inout [Value]) {
    var bigger: [Value] = []
    bigger.reserveCapacity(items.count * 2)
    let bytes = bigger.capacity * MemoryLayout<Value>.stride
    bigger.withUnsafeMutableBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return }
      adviseHugePages(UnsafeMutableRawPointer(base), bytes: bytes)
    }
    bigger.append(contentsOf: items)
    items = bigger
  }

  /// The whole 2 MiB pages inside the range.
  private static func adviseHugePages(_ start: UnsafeMutableRawPointer, bytes: Int) {
    let page = 2 << 20
    let first = (Int(bitPattern: start) + page - 1) & ~(page - 1)
    let end = (Int(bitPattern: start) + bytes) & ~(page - 1)
    guard end > first, let aligned = UnsafeMutableRawPointer(bitPattern: first) else { return }
    _ = madvise(aligned, end - first, MADV_HUGEPAGE)
  }
}
