import MatchingEngine
import MatchingV1
import Wire

extension PairScore {
    /// The score's parts as the wire carries them, by criterion name.
    var scoreParts: [ScorePart] {
        parts.sorted { $0.key < $1.key }.map { ScorePart(criterion: $0.key, points: $0.value) }
    }
}
