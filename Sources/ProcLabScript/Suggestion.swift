// "Did you mean": the known name closest to a misspelt one, for NameError, AttributeError,
// unknown commands and unknown options. A typo is one or two edits away; more is another word.

/// The candidate closest to `word` by edit distance, if it is at most 2 edits away and fewer
/// edits than half the word's length; ties go to the first in sorted order.
public func closestName(to word: String, among candidates: some Sequence<String>) -> String? {
  let limit = min(2, (word.count - 1) / 2)
  guard limit > 0 else { return nil }
  var best: (name: String, distance: Int)?
  for candidate in candidates where candidate != word && abs(candidate.count - word.count) <= limit {
    let distance = editDistance(Array(word.unicodeScalars), Array(candidate.unicodeScalars))
    guard distance <= limit else { continue }
    if best == nil || distance < best!.distance || (distance == best!.distance && candidate < best!.name) {
      best = (candidate, distance)
    }
  }
  return best?.name
}

/// `"; did you mean 'spawn'?"`, or "" when nothing is close: appended to an error message.
public func didYouMean(_ word: String, among candidates: some Sequence<String>) -> String {
  closestName(to: word, among: candidates).map { "; did you mean '\($0)'?" } ?? ""
}

/// Levenshtein distance, with a swap of two neighbours counted as one edit (`spwan`).
private func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
  var before = [Int](0...b.count)
  var previous = before
  for i in 1...max(1, a.count) where !a.isEmpty {
    var row = [i] + [Int](repeating: 0, count: b.count)
    for j in 1...max(1, b.count) where !b.isEmpty {
      let cost = a[i - 1] == b[j - 1] ? 0 : 1
      row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
      if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { row[j] = min(row[j], before[j - 2] + 1) }
    }
    before = previous
    previous = row
  }
  return a.isEmpty ? b.count : previous[b.count]
}
