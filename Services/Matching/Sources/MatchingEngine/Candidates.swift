/// Bit sets over a group of people (their positions `0..<count` in the group): who speaks each
/// language, who teaches each skill and who wants it. A pair can only be eligible when the two
/// share a language (if the rules require it) and one teaches something the other wants, so a
/// round ORs and ANDs these sets to find each person's candidates and scores only those, instead
/// of every pair. The kernel still checks every rule of every candidate: the sets only leave out
/// pairs the kernel would rule out, and they tell how many it would rule out for which reason.
struct GroupBits: Sendable {
    /// People in the group.
    let count: Int
    /// 64-bit words per set.
    let words: Int
    /// Set `l` (of language `l`) is `speakers[l * words ..< (l + 1) * words]`; the same for skills.
    private var speakers: [UInt64]
    private var teachers: [UInt64]
    private var learners: [UInt64]
    private let languageCount: Int
    private let skillCount: Int

    /// Indexes `group` (indices into `profiles`).
    init(_ profiles: ProfileStore, group: [Int], lists: ProfileStore.Lists) {
        count = group.count
        words = (group.count + 63) / 64
        var languages = 0
        var skills = 0
        for person in group {
            let profile = profiles[person]
            languages = max(languages, 64 - profile.languageMask.leadingZeroBitCount)
            for language in lists.integers(profile.otherLanguages) { languages = max(languages, Int(language) + 1) }
            for value in lists.skills(profile.expertise) { skills = max(skills, Int(value.skill) + 1) }
            for value in lists.skills(profile.goals) { skills = max(skills, Int(value.skill) + 1) }
        }
        languageCount = languages
        skillCount = skills
        speakers = Array(repeating: 0, count: languages * words)
        teachers = Array(repeating: 0, count: skills * words)
        learners = Array(repeating: 0, count: skills * words)
        for (position, person) in group.enumerated() {
            let profile = profiles[person]
            let (word, bit) = (position / 64, UInt64(1) << UInt64(position % 64))
            var mask = profile.languageMask
            while mask != 0 {
                speakers[mask.trailingZeroBitCount * words + word] |= bit
                mask &= mask - 1
            }
            for language in lists.integers(profile.otherLanguages) { speakers[Int(language) * words + word] |= bit }
            for value in lists.skills(profile.expertise) { teachers[Int(value.skill) * words + word] |= bit }
            for value in lists.skills(profile.goals) { learners[Int(value.skill) * words + word] |= bit }
        }
    }

    /// Sets `into` to the members of the group who speak one of `profile`'s languages.
    func speakingWith(_ profile: Profile, _ lists: ProfileStore.Lists, into set: UnsafeMutableBufferPointer<UInt64>) {
        set.update(repeating: 0)
        var mask = profile.languageMask
        while mask != 0 {
            let language = mask.trailingZeroBitCount
            if language < languageCount { union(speakers, language, into: set) }
            mask &= mask - 1
        }
        for language in lists.integers(profile.otherLanguages) where language < languageCount {
            union(speakers, Int(language), into: set)
        }
    }

    /// Sets `into` to the members of the group who teach one of `skills`.
    func teaching(_ skills: UnsafeBufferPointer<SkillValue>, into set: UnsafeMutableBufferPointer<UInt64>) {
        set.update(repeating: 0)
        for value in skills where value.skill < skillCount { union(teachers, Int(value.skill), into: set) }
    }

    /// Sets `into` to the members of the group who want one of `skills`.
    func wanting(_ skills: UnsafeBufferPointer<SkillValue>, into set: UnsafeMutableBufferPointer<UInt64>) {
        set.update(repeating: 0)
        for value in skills where value.skill < skillCount { union(learners, Int(value.skill), into: set) }
    }

    @inline(__always)
    private func union(_ sets: [UInt64], _ index: Int, into set: UnsafeMutableBufferPointer<UInt64>) {
        sets.withUnsafeBufferPointer { sets in
            let base = index * words
            for w in 0..<words { set[w] |= sets[base + w] }
        }
    }

    /// Sets `into` to the whole group.
    func everyone(into set: UnsafeMutableBufferPointer<UInt64>) {
        set.update(repeating: ~0)
        if count % 64 != 0 { set[words - 1] = (UInt64(1) << UInt64(count % 64)) - 1 }
    }

    /// The members of the group for whom `include` holds, as a set.
    func members(where include: (Int) -> Bool) -> [UInt64] {
        var set = [UInt64](repeating: 0, count: words)
        for position in 0..<count where include(position) { set[position / 64] |= 1 << UInt64(position % 64) }
        return set
    }
}

/// Operations on bit sets of one length.
enum BitSet {
    /// `set &= other`; returns how many members `set` has then.
    @inline(__always)
    static func intersect(_ set: UnsafeMutableBufferPointer<UInt64>, with other: UnsafeBufferPointer<UInt64>) -> Int {
        var members = 0
        for w in set.indices {
            set[w] &= other[w]
            members += set[w].nonzeroBitCount
        }
        return members
    }

    /// How many members `set` has.
    @inline(__always)
    static func count(_ set: UnsafeMutableBufferPointer<UInt64>) -> Int {
        var members = 0
        for word in set { members += word.nonzeroBitCount }
        return members
    }

    /// Removes `position` from `set`; whether it was a member.
    @inline(__always)
    static func remove(_ position: Int, from set: UnsafeMutableBufferPointer<UInt64>) -> Bool {
        let bit = UInt64(1) << UInt64(position % 64)
        let was = set[position / 64] & bit != 0
        set[position / 64] &= ~bit
        return was
    }

    /// Calls `body` with each member of `set` from `start` on, in increasing order.
    @inline(__always)
    static func forEach(in set: UnsafeMutableBufferPointer<UInt64>, from start: Int = 0, _ body: (Int) -> Void) {
        var w = start / 64
        guard w < set.count else { return }
        var word = set[w] & (~0 << UInt64(start % 64))
        while true {
            while word != 0 {
                body(w * 64 + word.trailingZeroBitCount)
                word &= word - 1
            }
            w += 1
            if w == set.count { return }
            word = set[w]
        }
    }
}
