import ProfilesV1

/// The scenarios the tool knows, by name.
public enum Scenarios {
    /// Focused single operations, the match and session flows and the journey mix; `matching`,
    /// `sessions` and `notifications` say whether the target reaches those services (the gateway
    /// always does; over the binary protocol, when `--matching`, `--sessions` and
    /// `--notifications` name them).
    public static func named(_ name: String, matching: Bool, sessions: Bool = false, notifications: Bool = false)
        -> Scenario?
    {
        switch name {
        case "get-member": Scenario(name: name, weights: [("get-member", 1)])
        case "search": Scenario(name: name, weights: [("search", 1)])
        case "create-member": Scenario(name: name, weights: [("create-member", 1)])
        case "suggestions" where matching: Scenario(name: name, weights: [("suggestions", 1)])
        case "match" where matching:
            // A mentee asks, the mentor accepts, later they complete: one step each.
            Scenario(name: name, weights: [("request-match", 1), ("accept-match", 1), ("end-match", 1)])
        case "sessions" where matching && sessions:
            // Partners of active matches find a slot and book it, move sessions, mark them done;
            // matches are made (and ended) on the way.
            Scenario(
                name: name,
                weights: [
                    ("request-match", 2), ("accept-match", 2), ("end-match", 1), ("schedule-session", 4),
                    ("reschedule-session", 2), ("complete-session", 2),
                ])
        case "goals" where matching && sessions:
            // The mentee of an active match sets a goal and states progress, the mentor confirms;
            // partners give feedback on their sessions (refused until a session has taken place).
            Scenario(
                name: name,
                weights: [
                    ("request-match", 1), ("accept-match", 1), ("set-goal", 2), ("review-goal", 3),
                    ("confirm-review", 3), ("schedule-session", 1), ("give-feedback", 1),
                ])
        case "inbox" where notifications:
            // Members read their inbox (with its counts) and mark it read.
            Scenario(name: name, weights: [("read-inbox", 3), ("mark-read", 1)])
        case "journey":
            // Modelled on use: most traffic views and searches; some sign up, update, ask for
            // suggestions, go through a match and book, move and complete sessions, and read what
            // they were notified of.
            Scenario(
                name: name,
                weights: matching && sessions && notifications
                    ? [
                        ("get-member", 32), ("search", 18), ("suggestions", 9), ("update-member", 8),
                        ("create-member", 6), ("request-match", 4), ("accept-match", 4), ("end-match", 3),
                        ("schedule-session", 5), ("reschedule-session", 3), ("complete-session", 2), ("set-goal", 2),
                        ("review-goal", 2), ("confirm-review", 2), ("give-feedback", 1), ("read-inbox", 4),
                        ("mark-read", 2),
                    ]
                    : matching && sessions
                        ? [
                            ("get-member", 36), ("search", 20), ("suggestions", 9), ("update-member", 8),
                            ("create-member", 6), ("request-match", 4), ("accept-match", 4), ("end-match", 3),
                            ("schedule-session", 5), ("reschedule-session", 3), ("complete-session", 2),
                            ("set-goal", 2),
                            ("review-goal", 2), ("confirm-review", 2), ("give-feedback", 1),
                        ]
                        : matching
                            ? [
                                ("get-member", 40), ("search", 22), ("suggestions", 10), ("update-member", 9),
                                ("create-member", 7), ("request-match", 4), ("accept-match", 4), ("end-match", 4),
                            ]
                            : [("get-member", 50), ("search", 30), ("update-member", 10), ("create-member", 10)])
        default: nil
        }
    }

    /// Every scenario name.
    public static let names = [
        "get-member", "search", "create-member", "suggestions", "match", "sessions", "goals", "inbox", "journey",
    ]

    /// Operations that need the matching service.
    static let matchingOperations: Set = [
        "suggestions", "request-match", "accept-match", "end-match", "schedule-session", "reschedule-session",
        "complete-session", "set-goal", "review-goal", "confirm-review", "give-feedback",
    ]

    /// Operations of the session flow.
    static let sessionOperations: Set = ["schedule-session", "reschedule-session", "complete-session"]
}

extension Scenario {
    /// Whether any of the scenario's operations needs the matching service.
    public var usesMatching: Bool {
        weights.contains { Scenarios.matchingOperations.contains($0.operation) }
    }

    /// Whether the scenario proposes, accepts and ends matches (the session flow needs them too).
    public var usesMatchFlow: Bool {
        weights.contains { operation, _ in
            ["-match", "-session", "-goal", "-review", "-feedback"].contains(where: operation.hasSuffix)
        }
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
    /// Every member's weekly windows: Monday to Friday, 09:00–20:00 local time (so that partners
    /// share free time to book sessions in).
    static let window: (start: UInt32, end: UInt32) = (540, 1200)
    static let weekdays = 1...5

    static func email(run: String, index: Int) -> String { "load-\(run)-\(index)@example.org" }
    static func displayName(_ index: Int) -> String { "Load Member \(index)" }
    static func headline(_ index: Int) -> String {
        isMentor(index) ? "Mentor in \(skill(index))" : "Learning \(skill(index))"
    }

    /// The `index`-th member of run `run` as the gateway's JSON takes it.
    static func json(run: String, index: Int, network: String) -> [String: Any] {
        let mentor = isMentor(index)
        var body: [String: Any] = [
            "email": email(run: run, index: index), "displayName": displayName(index), "headline": headline(index),
            "roles": [mentor ? "ROLE_MENTOR" : "ROLE_MENTEE"], "networks": [network], "timezone": timezone,
            "languages": ["en"], "yearsOfExperience": mentor ? 10 : 2,
            "availability": weekdays.map { ["weekday": $0, "startMinute": window.start, "endMinute": window.end] },
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
