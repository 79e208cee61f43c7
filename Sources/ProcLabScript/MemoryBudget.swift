// How much memory one value a script asks for may take. Every allocation sized by a user's
// number (`"x" * n`, `[0] * n`, `list(range(n))`) is checked against it first, so a typo
// raises MemoryError instead of aborting the session with every child and variable in it.
import Glibc

public enum MemoryBudget {
  /// The most bytes one string, list or tuple may take. The host sets it (`--max-memory`);
  /// the session is single-threaded, so a plain static is enough.
  nonisolated(unsafe) public static var bytes: Int = defaultBytes

  /// A quarter of physical memory: a value may be copied (sorted, a fork writing to it)
  /// and children hold memory too, so one value must leave most of the machine free.
  public static let defaultBytes: Int = {
    let pages = sysconf(Int32(_SC_PHYS_PAGES))
    let pageSize = sysconf(Int32(_SC_PAGESIZE))
    guard pages > 0, pageSize > 0 else { return 1 << 30 }
    let total = pages.multipliedReportingOverflow(by: pageSize)
    return total.overflow ? Int.max / 4 : total.partialValue / 4
  }()

  /// What one item of a list or tuple takes in its array.
  static let bytesPerItem = MemoryLayout<Value>.stride

  /// Throws MemoryError unless `count` things of `bytesEach` bytes fit in the budget:
  /// "cannot make a string of 100000000000 characters (about 93 GiB): the memory budget is 4.0 GiB".
  static func check(_ count: Int, _ things: String, of kind: String, bytesEach: Int) throws(ScriptError) {
    let size = count.multipliedReportingOverflow(by: bytesEach)
    guard size.overflow || size.partialValue > bytes else { return }
    let about = Double(count) * Double(bytesEach)
    throw ScriptError(
      .memoryError,
      "cannot make \(withArticle(kind)) of \(count) \(things) (about \(describe(about))): the memory budget is \(describe(Double(bytes)))")
  }

  /// A list or tuple of `count` items.
  static func checkItems(_ count: Int, of kind: String = "list") throws(ScriptError) {
    try check(count, "items", of: kind, bytesEach: bytesPerItem)
  }

  /// A string of `count` bytes of UTF-8.
  static func checkString(_ count: Int) throws(ScriptError) {
    try check(count, "characters", of: "string", bytesEach: 1)
  }

  /// `count + more` items, computed without overflow: what appending makes.
  static func checkItems(_ count: Int, adding more: Int, of kind: String = "list") throws(ScriptError) {
    let total = count.addingReportingOverflow(more)
    try checkItems(total.overflow ? Int.max : total.partialValue, of: kind)
  }

  /// "93 GiB", "512 MiB", "4.0 GiB" (powers of 1024, as `--max-memory` reads them): one
  /// decimal below 10 of a unit.
  public static func describe(_ bytes: Double) -> String {
    let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB"]
    var value = bytes
    var unit = 0
    while value >= 1024, unit < units.count - 1 {
      value /= 1024
      unit += 1
    }
    if unit == 0 { return "\(Int(value)) bytes" }
    if value < 10 {
      let tenths = Int((value * 10).rounded())
      return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }
    return "\(Int(value.rounded())) \(units[unit])"
  }

  /// A size as `--max-memory` takes it: bytes, or a number with K, M, G or T (powers of
  /// 1024, an optional B or iB after it): `512M`, `4G`, `1.5GiB`. Nil when it is not one.
  public static func parseSize(_ text: String) -> Int? {
    var digits = Substring(text)
    var scale = 1.0
    for suffix in ["iB", "B"] where digits.hasSuffix(suffix) && digits.count > suffix.count {
      digits = digits.dropLast(suffix.count)
      break
    }
    let units: [Character: Double] = ["K": 1024, "M": 1024 * 1024, "G": 1024 * 1024 * 1024, "T": 1024 * 1024 * 1024 * 1024]
    if let last = digits.last?.uppercased().first, let factor = units[last] {
      scale = factor
      digits = digits.dropLast()
    }
    guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), let number = Double(digits),
      number > 0
    else { return nil }
    let size = number * scale
    guard size >= 1, size < 9.2e18 else { return nil }
    return Int(size)
  }
}
