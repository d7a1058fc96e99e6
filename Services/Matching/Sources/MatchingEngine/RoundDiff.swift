/// Who is paired with whom, independent of scores: what two rounds are compared by.
public struct PairKey: Sendable, Hashable, Comparable {
    /// One-way or mutual.
    public var kind: MatchKind
    /// The mentor (mutual: the partner whose id sorts first).
    public var mentor: String
    /// The mentee (mutual: the other partner).
    public var mentee: String

    /// A key; mutual pairs are put in id order, so either order names the same pair.
    public init(kind: MatchKind, mentor: String, mentee: String) {
        self.kind = kind
        (self.mentor, self.mentee) = kind == .mutual && mentee < mentor ? (mentee, mentor) : (mentor, mentee)
    }

    /// The key of a scored pair.
    public init(_ pair: PairScore) {
        self.init(kind: pair.kind, mentor: pair.mentor, mentee: pair.mentee)
    }

    public static func < (a: PairKey, b: PairKey) -> Bool {
        (a.mentee, a.mentor, a.kind.rawValue) < (b.mentee, b.mentor, b.kind.rawValue)
    }
}

/// How a round differs from the previous one: pairs it adds, pairs it no longer has, pairs kept.
public struct RoundDiff: Sendable, Hashable {
    /// In this round, not in the previous one.
    public var added: [PairKey]
    /// In the previous round, not in this one.
    public var removed: [PairKey]
    /// In both.
    public var kept: [PairKey]

    /// Compares `current` with `previous`; each list comes out sorted.
    public init(previous: [PairKey], current: [PairKey]) {
        let before = Set(previous)
        let after = Set(current)
        added = after.subtracting(before).sorted()
        removed = before.subtracting(after).sorted()
        kept = after.intersection(before).sorted()
    }
}

extension RoundResult {
    /// Every proposed pair's key, one-way and mutual.
    public var pairKeys: [PairKey] { (pairs + mutualPairs).map(PairKey.init) }
}
