/// A skill and a level (expertise, 1…5) or a weight (goals, 6 − priority).
struct SkillValue: Sendable {
    var skill: Int32
    var value: Int32
}

/// Where a profile's list lives in its store's shared arrays.
struct Span: Sendable {
    var start: Int32
    var count: Int32
}

/// A participant compiled for fast scoring: skills and languages interned to small integers,
/// goals and expertise sorted by skill, availability normalised to disjoint sorted UTC minutes.
/// Plain values only (its lists live in a `ProfileStore`), so handling one costs no reference
/// counting: scoring a pair touches only integers, which lets a round score millions of pairs.
struct Profile: Sendable {
    var isMentor: Bool
    var isMentee: Bool
    var acceptsMutual: Bool
    var acceptsOneWay: Bool
    var capacity: Int
    var maximumMentors: Int
    var years: Int
    /// Interned organization, or -1 when none is given.
    var organization: Int32
    var organizationRule: Participant.OrganizationRule
    /// Bit `l` for each interned language `l` below 64; the rest in `otherLanguages`.
    var languageMask: UInt64
    /// Sorted, in the store's integers.
    var otherLanguages: Span
    /// Bit `s % 64` for each skill taught / wanted: a cheap exact "nothing in common" test.
    var expertiseMask: UInt64
    var goalMask: UInt64
    /// Sorted by skill, in the store's skill values.
    var expertise: Span
    var goals: Span
    /// The sum of the goals' weights.
    var goalWeight: Int32
    /// Disjoint, sorted [start, end) pairs in minutes of the UTC week, flattened, in the store's integers.
    var availability: Span
}

/// Compiled profiles and the arrays their lists live in. A profile can be replaced or removed in
/// place (a suggestion index follows its network's changes this way): its old lists stay in the
/// arrays as garbage until there is as much garbage as live data, when the arrays are compacted.
struct ProfileStore: Sendable {
    private(set) var profiles: [Profile] = []
    private(set) var skillValues: [SkillValue] = []
    private(set) var integers: [Int32] = []
    private var vocabulary = Vocabulary()
    /// Elements of `skillValues` and `integers` no profile points at any more.
    private var garbageSkillValues = 0
    private var garbageIntegers = 0

    init() {}

    init(_ participants: [Participant]) {
        profiles.reserveCapacity(participants.count)
        for participant in participants { add(participant) }
    }

    subscript(index: Int) -> Profile { profiles[index] }

    var count: Int { profiles.count }

    mutating func add(_ participant: Participant) {
        profiles.append(compile(participant))
    }

    /// Puts `participant` in the place of the profile at `index`.
    mutating func replace(at index: Int, with participant: Participant) {
        forget(profiles[index])
        profiles[index] = compile(participant)
        compactIfWasteful()
    }

    /// Removes the profile at `index`, moving the last profile into its place.
    mutating func remove(at index: Int) {
        forget(profiles[index])
        profiles.swapAt(index, profiles.count - 1)
        profiles.removeLast()
        compactIfWasteful()
    }

    /// Changes the capacity of the profile at `index` (a mentor's open slots).
    mutating func setCapacity(_ capacity: Int, at index: Int) {
        profiles[index].capacity = capacity
    }

    /// Garbage a store may hold beyond half its arrays before it is compacted.
    static let compactionSlack = 4096

    /// How many list elements the arrays hold, live or garbage.
    var storedListElements: Int { skillValues.count + integers.count }

    /// Compiles `participant`, appending its lists to the arrays.
    private mutating func compile(_ participant: Participant) -> Profile {
        let compiled = vocabulary.compile(participant)
        return Profile(
            isMentor: participant.isMentor,
            isMentee: participant.isMentee,
            acceptsMutual: participant.acceptsMutual,
            acceptsOneWay: participant.acceptsOneWay,
            capacity: participant.capacity,
            maximumMentors: participant.maximumMentors,
            years: participant.yearsOfExperience,
            organization: compiled.organization,
            organizationRule: participant.organizationPreference,
            languageMask: compiled.languageMask,
            otherLanguages: Self.append(compiled.otherLanguages, to: &integers),
            expertiseMask: compiled.expertiseMask,
            goalMask: compiled.goalMask,
            expertise: Self.append(compiled.expertise, to: &skillValues),
            goals: Self.append(compiled.goals, to: &skillValues),
            goalWeight: compiled.goals.reduce(0) { $0 + $1.value },
            availability: Self.append(compiled.availability, to: &integers))
    }

    private static func append<T>(_ values: some Collection<T>, to array: inout [T]) -> Span {
        defer { array.append(contentsOf: values) }
        return Span(start: Int32(array.count), count: Int32(values.count))
    }

    private mutating func forget(_ profile: Profile) {
        garbageSkillValues += Int(profile.expertise.count + profile.goals.count)
        garbageIntegers += Int(profile.otherLanguages.count + profile.availability.count)
    }

    /// Copies the live lists into new arrays once garbage outweighs them, so that a store that
    /// keeps changing stays within twice its live size (plus a little slack for small stores).
    private mutating func compactIfWasteful() {
        let slack = Self.compactionSlack
        guard garbageSkillValues > skillValues.count / 2 + slack || garbageIntegers > integers.count / 2 + slack
        else { return }
        let oldSkills = skillValues
        let oldIntegers = integers
        skillValues = []
        skillValues.reserveCapacity(oldSkills.count - garbageSkillValues)
        integers = []
        integers.reserveCapacity(oldIntegers.count - garbageIntegers)
        func move<T>(_ span: Span, from old: [T], to array: inout [T]) -> Span {
            Self.append(old[Int(span.start)..<Int(span.start + span.count)], to: &array)
        }
        for index in profiles.indices {
            var profile = profiles[index]
            profile.otherLanguages = move(profile.otherLanguages, from: oldIntegers, to: &integers)
            profile.expertise = move(profile.expertise, from: oldSkills, to: &skillValues)
            profile.goals = move(profile.goals, from: oldSkills, to: &skillValues)
            profile.availability = move(profile.availability, from: oldIntegers, to: &integers)
            profiles[index] = profile
        }
        garbageSkillValues = 0
        garbageIntegers = 0
    }

    /// Runs `body` with direct access to the lists, for the scoring loops.
    func withLists<T>(_ body: (Lists) -> T) -> T {
        skillValues.withUnsafeBufferPointer { skills in
            integers.withUnsafeBufferPointer { integers in body(Lists(skills: skills, integers: integers)) }
        }
    }

    /// The lists' storage, valid inside `withLists`.
    struct Lists {
        let skills: UnsafeBufferPointer<SkillValue>
        let integers: UnsafeBufferPointer<Int32>

        @inline(__always) func skills(_ span: Span) -> UnsafeBufferPointer<SkillValue> {
            UnsafeBufferPointer(rebasing: skills[Int(span.start)..<Int(span.start + span.count)])
        }

        @inline(__always) func integers(_ span: Span) -> UnsafeBufferPointer<Int32> {
            UnsafeBufferPointer(rebasing: integers[Int(span.start)..<Int(span.start + span.count)])
        }

        @inline(__always) func sharesLanguage(_ a: Profile, _ b: Profile) -> Bool {
            if a.languageMask & b.languageMask != 0 { return true }
            if a.otherLanguages.count == 0 || b.otherLanguages.count == 0 { return false }
            return !Set(integers(a.otherLanguages)).isDisjoint(with: integers(b.otherLanguages))
        }
    }
}

/// A participant's lists before they move into a store.
struct CompiledLists {
    var organization: Int32
    var languageMask: UInt64
    var otherLanguages: [Int32]
    var expertiseMask: UInt64
    var goalMask: UInt64
    var expertise: [SkillValue]
    var goals: [SkillValue]
    var availability: [Int32]
}

/// Interns the strings of a set of participants (skills, languages, organizations).
struct Vocabulary: Sendable {
    private var skillIndex: [String: Int32] = [:]
    private var languageIndex: [String: Int32] = [:]
    private var organizationIndex: [String: Int32] = [:]

    mutating func compile(_ participant: Participant) -> CompiledLists {
        var languageMask: UInt64 = 0
        var otherLanguages: [Int32] = []
        for language in participant.languages {
            let index = Self.intern(language, in: &languageIndex)
            if index < 64 { languageMask |= 1 << UInt64(index) } else { otherLanguages.append(index) }
        }
        var expertiseMask: UInt64 = 0
        var expertise: [SkillValue] = []
        for (name, level) in participant.expertise where level > 0 {
            let skill = Self.intern(name, in: &skillIndex)
            expertise.append(.init(skill: skill, value: Int32(min(level, 5))))
            expertiseMask |= 1 << UInt64(skill & 63)
        }
        var goalMask: UInt64 = 0
        var goals: [SkillValue] = []
        for (name, priority) in participant.goals {
            let skill = Self.intern(name, in: &skillIndex)
            goals.append(.init(skill: skill, value: Int32(6 - min(max(priority, 1), 5))))
            goalMask |= 1 << UInt64(skill & 63)
        }
        expertise.sort { $0.skill < $1.skill }
        goals.sort { $0.skill < $1.skill }
        return CompiledLists(
            organization: participant.organization.isEmpty
                ? -1 : Self.intern(participant.organization, in: &organizationIndex),
            languageMask: languageMask,
            otherLanguages: otherLanguages.sorted(),
            expertiseMask: expertiseMask,
            goalMask: goalMask,
            expertise: expertise,
            goals: goals,
            availability: Self.normalise(participant.availabilityUTC))
    }

    private static func intern(_ name: String, in table: inout [String: Int32]) -> Int32 {
        if let index = table[name] { return index }
        let index = Int32(table.count)
        table[name] = index
        return index
    }

    /// Folds windows into one week (a window may run past the week's end), then merges them.
    static func normalise(_ windows: [Range<Int>]) -> [Int32] {
        let week = 7 * 24 * 60
        var pieces: [Range<Int>] = []
        for window in windows where !window.isEmpty {
            let start = ((window.lowerBound % week) + week) % week
            let end = start + min(window.count, week)
            if end <= week {
                pieces.append(start..<end)
            } else {
                pieces.append(start..<week)
                pieces.append(0..<(end - week))
            }
        }
        pieces.sort { $0.lowerBound < $1.lowerBound }
        var flat: [Int32] = []
        for piece in pieces {
            if let last = flat.last, Int(last) >= piece.lowerBound {
                flat[flat.count - 1] = Int32(max(Int(last), piece.upperBound))
            } else {
                flat.append(Int32(piece.lowerBound))
                flat.append(Int32(piece.upperBound))
            }
        }
        return flat
    }
}
