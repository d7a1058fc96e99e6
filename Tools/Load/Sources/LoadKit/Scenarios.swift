import ProfilesV1

/// The scenarios the tool knows, by name.
public enum Scenarios {
    /// Focused single operations, the match flow and the journey mix; `matching` says whether the
    /// target reaches the matching service (the gateway always does; over the binary protocol,
    /// when `--matching` names it).
    public static func named(_ name: String, matching: Bool) -> Scenario? {
        switch name {
        case "get-member": Scenario(name: name, weights: [("get-member", 1)])
        case "search": Scenario(name: name, weights: [("search", 1)])
        case "create-member": Scenario(name: name, weights: [("create-member", 1)])
        case "suggestions" where matching: Scenario(name: name, weights: [("suggestions", 1)])
        case "match" where matching:
            // A mentee asks, the mentor accepts, later they complete: one step each.
            Scenario(name: name, weights: [("request-match", 1), ("accept-match", 1), ("end-match", 1)])
        case "journey":
            // Modelled on use: most traffic views and searches; some sign up, update, ask for
            // suggestions, and go through a match.
            Scenario(
                name: name,
                weights: matching
                    ? [
                        ("get-member", 40), ("search", 22), ("suggestions", 10), ("update-member", 9),
                        ("create-member", 7), ("request-match", 4), ("accept-match", 4), ("end-match", 4),
                    ]
                    : [("get-member", 50), ("search", 30), ("update-member", 10), ("create-member", 10)])
        default: nil
        }
    }

    /// Every scenario name.
    public static let names = ["get-member", "search", "create-member", "suggestions", "match", "journey"]

    /// Operations that need the matching service.
    static let matchingOperations: Set = ["suggestions", "request-match", "accept-match", "end-match"]
}

extension Scenario {
    /// Whether any of the scenario's operations needs the matching service.
    public var usesMatching: Bool {
        weights.contains { Scenarios.matchingOperations.contains($0.operation) }
    }

    /// Whether the scenario proposes, accepts and ends matches.
    public var usesMatchFlow: Bool {
        weights.contains { $0.operation.hasSuffix("-match") }
    }
}

/// Members the tool creates: believable, unique per run, spread over a few skills.
enum LoadMembers {
    static let skills = ["go", "rust", "swift", "python", "kubernetes", "design", "sre", "data"]
    /// The number of the first seeded member (the run's own sign-ups count from 0).
    static let firstSeed = 1_000_000

    /// How many mentees each mentor takes.
    static let mentorCapacity = 3

    /// One in four members mentors.
    static func isMentor(_ index: Int) -> Bool { index % 4 == 0 }

    /// A mentee's goal; a mentor's first skill.
    static func skill(_ index: Int) -> String { skills[index % skills.count] }

    /// What a mentor teaches: their first skill and another (never the same).
    static func taught(_ index: Int) -> [String] {
        [skill(index), skills[(index + 1 + index / skills.count % (skills.count - 1)) % skills.count]]
    }

    static let timezone = "Europe/Berlin"
    /// Every member's weekly window: 18:00–20:00 local time, on their weekday.
    static let window: (start: UInt32, end: UInt32) = (1080, 1200)

    static func email(run: String, index: Int) -> String { "load-\(run)-\(index)@example.org" }
    static func displayName(_ index: Int) -> String { "Load Member \(index)" }
    static func headline(_ index: Int) -> String {
        isMentor(index) ? "Mentor in \(skill(index))" : "Learning \(skill(index))"
    }
    /// Monday to Friday (1–5).
    static func weekday(_ index: Int) -> Int { 1 + index % 5 }

    /// The `index`-th member of run `run` as the gateway's JSON takes it.
    static func json(run: String, index: Int, network: String) -> [String: Any] {
        let mentor = isMentor(index)
        var body: [String: Any] = [
            "email": email(run: run, index: index), "displayName": displayName(index), "headline": headline(index),
            "roles": [mentor ? "ROLE_MENTOR" : "ROLE_MENTEE"], "networks": [network], "timezone": timezone,
            "languages": ["en"], "yearsOfExperience": mentor ? 10 : 2,
            "availability": [["weekday": weekday(index), "startMinute": window.start, "endMinute": window.end]],
        ]
        if mentor {
            body["expertise"] = zip(taught(index), [5, 3]).map { ["skill": $0, "level": $1] }
            body["mentoringCapacity"] = mentorCapacity
        } else {
            body["learningGoals"] = [["skill": skill(index), "priority": 1]]
        }
        return body
    }
}
