// "Did you mean": the closest known name to a misspelt one, by edit distance, so that
// `spwan f(1)` answers with `spawn` instead of leaving the user to guess.

/// The candidate closest to `word`: at most 2 edits away and fewer than half the word's
/// length (so short words do not match everything); on a tie, the first in sorted order.
public func closestName(to word: String, among candidates: some Sequence<String>) -> String? {
  let target = Array(word.unicodeScalars)
  let limit = min(2, (target.count - 1) / 2)
  guard limit > 0 else { return nil }
  var best: (name: String, distance: Int)?
  for candidate in candidates where candidate != word {
    guard let distance = editDistance(target, Array(candidate.unicodeScalars), limit: limit) else { continue }
    if let current = best, distance > current.distance || (distance == current.distance && candidate >= current.name) { continue }
    best = (candidate, distance)
  }
  return best?.name
}

/// `"; did you mean 'spawn'?"` when a close name exists, else `""`: ready to end a message.
public func didYouMean(_ word: String, among candidates: some Sequence<String>) -> String {
  guard let name = closestName(to: word, among: candidates) else { return "" }
  return "; did you mean '\(name)'?"
}

/// Levenshtein distance (insert, delete, replace), or nil once it must exceed `limit`;
/// `a` is never empty (a word that short gets no suggestion).
private func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int? {
  guard abs(a.count - b.count) <= limit else { return nil }
  var previous = Array(0...b.count)
  for i in 1...a.count {
    var row = [i] + Array(repeating: 0, count: b.count)
    var rowBest = i
    for j in stride(from: 1, through: b.count, by: 1) {
      let replace = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
      row[j] = min(replace, previous[j] + 1, row[j - 1] + 1)
      rowBest = min(rowBest, row[j])
    }
    if rowBest > limit { return nil }
    previous = row
  }
  return previous[b.count] <= limit ? previous[b.count] : nil
}
