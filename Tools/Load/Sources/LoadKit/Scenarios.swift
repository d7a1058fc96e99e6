/// The scenarios the tool knows, by name.
public enum Scenarios {
    /// Focused single operations and the journey mix.
    public static func named(_ name: String, protocol: TargetProtocol) -> Scenario? {
        switch name {
        case "get-member": Scenario(name: name, weights: [("get-member", 1)])
        case "search": Scenario(name: name, weights: [("search", 1)])
        case "create-member": Scenario(name: name, weights: [("create-member", 1)])
        case "suggestions" where `protocol` == .http: Scenario(name: name, weights: [("suggestions", 1)])
        case "journey":
            // Modelled on use: most traffic views and searches; some sign up, update, ask for suggestions.
            Scenario(
                name: name,
                weights: `protocol` == .http
                    ? [
                        ("get-member", 45), ("search", 25), ("suggestions", 12), ("update-member", 10),
                        ("create-member", 8),
                    ]
                    : [("get-member", 50), ("search", 30), ("update-member", 10), ("create-member", 10)])
        default: nil
        }
    }

    /// Every scenario name.
    public static let names = ["get-member", "search", "create-member", "suggestions", "journey"]
}

/// How the tool talks to the target.
public enum TargetProtocol: String, Sendable {
    /// JSON over HTTP to the gateway.
    case http
    /// The MentorNet binary protocol to the services.
    case rpc
}

/// Members the tool creates: believable, unique per run, spread over a few skills.
enum LoadMembers {
    static let skills = ["go", "rust", "swift", "python", "kubernetes", "design", "sre", "data"]

    /// The `index`-th member of run `run` as the gateway's JSON takes it.
    static func json(run: String, index: Int, network: String) -> [String: Any] {
        let mentor = index % 4 == 0
        let skill = skills[index % skills.count]
        let other = skills[(index + 1 + index / skills.count % (skills.count - 1)) % skills.count]  // never `skill`
        var body: [String: Any] = [
            "email": "load-\(run)-\(index)@example.org", "displayName": "Load Member \(index)",
            "headline": mentor ? "Mentor in \(skill)" : "Learning \(skill)",
            "roles": [mentor ? "ROLE_MENTOR" : "ROLE_MENTEE"], "networks": [network], "timezone": "Europe/Berlin",
            "languages": ["en"], "yearsOfExperience": mentor ? 10 : 2,
            "availability": [["weekday": 1 + index % 5, "startMinute": 1080, "endMinute": 1200]],
        ]
        if mentor {
            body["expertise"] = [["skill": skill, "level": 5], ["skill": other, "level": 3]]
            body["mentoringCapacity"] = 3
        } else {
            body["learningGoals"] = [["skill": skill, "priority": 1]]
        }
        return body
    }
}
