import Foundation
import MemberRules
import ProfilesService
import ProfilesV1
import Testing
import Wire

@Suite("member validation")
struct MemberValidatorTests {
    @Test("a valid member is normalised")
    func normalises() throws {
        var input = sampleMember(skills: ["  Machine   Learning "], goals: ["RUST"])
        input.networks = [" ACME "]
        input.languages = ["EN"]
        let member = try MemberValidator.normalise(input).get()
        #expect(member.expertise.map(\.skill) == ["machine learning"])
        #expect(member.learningGoals.map(\.skill) == ["rust"])
        #expect(member.networks == ["acme"])
        #expect(member.languages == ["en"])
    }

    @Test("text is trimmed and its spaces collapsed as Foundation trims, whether or not it needs it")
    func textNormalisation() throws {
        let texts = [
            "Ada", "Ada Lovelace", " Ada", "Ada ", "Ada  Lovelace", "Ada\tLovelace", "Ada\nLovelace", "\u{A0}Ada",
            "Ada\u{2003}", "Ünïcödé  name", "a", "Ada Lovelace\r", "x\u{7F}y",
        ]
        for text in texts {
            var input = sampleMember(skills: ["go"], goals: ["rust"])
            input.displayName = text
            input.bio = text
            input.timezone = text.hasPrefix(" ") || text.hasSuffix(" ") ? " Europe/Berlin " : "Europe/Berlin"
            let result = MemberValidator.normalise(input)
            let collapsed = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            let bio = text.trimmingCharacters(in: .whitespacesAndNewlines)
            switch result {
            case .success(let member):
                #expect(member.displayName == collapsed, "\(text.debugDescription)")
                #expect(member.bio == bio, "\(text.debugDescription)")
                #expect(member.timezone == "Europe/Berlin")
            case .failure(let violations):
                // Only control characters are refused.
                #expect(
                    text.unicodeScalars.contains {
                        $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t"
                    },
                    "\(text.debugDescription): \(violations)")
            }
        }
    }

    static let cases: [(String, @Sendable (inout Member) -> Void, String)] = [
        ("no email", { $0.email = "" }, "email"),
        ("email without @", { $0.email = "ada.example.org" }, "email"),
        ("email without a dot in the domain", { $0.email = "ada@localhost" }, "email"),
        ("email with a space", { $0.email = "a da@example.org" }, "email"),
        ("no display name", { $0.displayName = "   " }, "display_name"),
        ("display name too long", { $0.displayName = String(repeating: "a", count: 101) }, "display_name"),
        ("headline too long", { $0.headline = String(repeating: "h", count: 201) }, "headline"),
        ("bio too long", { $0.bio = String(repeating: "b", count: 4001) }, "bio"),
        ("control characters", { $0.displayName = "Ada\u{7}" }, "display_name"),
        ("no role", { $0.roles = [] }, "roles"),
        ("unspecified role", { $0.roles = [.unspecified] }, "roles[0]"),
        ("repeated role", { $0.roles = [.mentee, .mentee] }, "roles"),
        ("no network", { $0.networks = [] }, "networks"),
        ("bad network", { $0.networks = ["Acme Corp!"] }, "networks[0]"),
        ("no timezone", { $0.timezone = "" }, "timezone"),
        ("unknown timezone", { $0.timezone = "Mars/Olympus_Mons" }, "timezone"),
        ("offset instead of a zone", { $0.timezone = "GMT+5" }, "timezone"),
        ("timezone in the wrong case", { $0.timezone = "europe/berlin" }, "timezone"),
        ("no language", { $0.languages = [] }, "languages"),
        ("bad language", { $0.languages = ["english"] }, "languages[0]"),
        ("too much experience", { $0.yearsOfExperience = 71 }, "years_of_experience"),
        ("level 0", { $0.expertise[0].level = 0 }, "expertise[0].level"),
        ("level 6", { $0.expertise[0].level = 6 }, "expertise[0].level"),
        ("empty skill", { $0.expertise[0].skill = " " }, "expertise[0].skill"),
        ("skill with symbols", { $0.expertise[0].skill = "c; drop" }, "expertise[0].skill"),
        (
            "repeated skill", { $0.expertise = [Expertise(skill: "Go", level: 1), Expertise(skill: "go", level: 2)] },
            "expertise"
        ),
        ("priority 0", { $0.learningGoals[0].priority = 0 }, "learning_goals[0].priority"),
        ("mentee without goals", { $0.learningGoals = [] }, "learning_goals"),
        ("mentor without capacity", { $0.mentoringCapacity = 0 }, "mentoring_capacity"),
        ("capacity too high", { $0.mentoringCapacity = 21 }, "mentoring_capacity"),
        ("mentor without expertise", { $0.expertise = [] }, "expertise"),
        ("weekday 0", { $0.availability[0].weekday = 0 }, "availability[0].weekday"),
        ("window ends before it starts", { $0.availability[0].endMinute = 500 }, "availability[0].end_minute"),
        ("window past midnight", { $0.availability[0].endMinute = 1441 }, "availability[0].end_minute"),
        (
            "overlapping windows",
            { $0.availability.append(AvailabilityWindow(weekday: 1, startMinute: 570, endMinute: 660)) },
            "availability[1]"
        ),
        (
            "neither one-way nor mutual", { $0.preferences = MatchPreferences(oneWay: false, mutual: false) },
            "preferences"
        ),
    ]

    @Test("each rule names its field", arguments: cases.map { ($0.0, $0.2) })
    func rule(_ name: String, _ field: String) throws {
        var member = sampleMember()
        Self.cases.first { $0.0 == name }!.1(&member)
        guard case .failure(let failure) = MemberValidator.normalise(member) else {
            Issue.record("\(name) was accepted")
            return
        }
        #expect(failure.violations.map(\.field).contains(field), "\(failure.violations)")
        #expect(failure.violations.allSatisfy { !$0.description.isEmpty })
    }

    @Test("a non-mentor must have capacity 0")
    func menteeCapacity() {
        var member = sampleMember(roles: [.mentee])
        member.mentoringCapacity = 3
        guard case .failure(let failure) = MemberValidator.normalise(member) else {
            Issue.record("accepted")
            return
        }
        #expect(failure.violations.map(\.field) == ["mentoring_capacity"])
    }

    @Test(
        "real IANA timezones pass",
        arguments: ["UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires", "Asia/Kolkata"])
    func timezones(_ name: String) {
        #expect(MemberValidator.isIANATimeZone(name))
    }
}
