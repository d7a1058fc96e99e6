/// How proto names become Swift names.
enum Naming {
    /// Words Swift reserves; a field or case named like one is written in backticks.
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "open", "operator", "private", "protocol", "public", "rethrows", "static", "struct",
        "subscript", "typealias", "var", "break", "case", "continue", "default", "defer", "do", "else", "fallthrough",
        "for", "guard", "if", "in", "repeat", "return", "switch", "where", "while", "as", "catch", "false", "is", "nil",
        "super", "self", "Self", "throw", "throws", "true", "try", "Type", "Protocol",
    ]

    /// `created_at_micros` → `createdAtMicros`; the word `id` becomes `ID` (`call_id` → `callID`,
    /// `missing_ids` → `missingIDs`) after the first word, as Swift's API guidelines write it.
    static func lowerCamel(_ snake: String) -> String {
        let words = snake.split(separator: "_").map { $0.lowercased() }
        guard let first = words.first else { return snake }
        return first + words.dropFirst().map(capitalizedWord).joined()
    }

    /// `mentor_id` → `mentorId`: proto3 JSON's lowerCamelCase (no special words).
    static func lowerCamelJSON(_ snake: String) -> String {
        let words = snake.split(separator: "_").map(String.init)
        guard let first = words.first else { return snake }
        return first + words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// `learning_goals` → `LearningGoals`.
    static func upperCamel(_ snake: String) -> String {
        snake.split(separator: "_").map { capitalizedWord($0.lowercased()) }.joined()
    }

    private static func capitalizedWord(_ word: String) -> String {
        switch word {
        case "id": return "ID"
        case "ids": return "IDs"
        default: return word.prefix(1).uppercased() + word.dropFirst()
        }
    }

    /// `MemberStatus` → `MEMBER_STATUS`.
    static func upperSnake(_ camel: String) -> String {
        var out = ""
        var previous: Character?
        for character in camel {
            if character.isUppercase, let previous, previous.isLowercase || previous.isNumber { out.append("_") }
            out.append(contentsOf: character.uppercased())
            previous = character
        }
        return out
    }

    /// An enum value's case name: the value name without the enum's own prefix, in lowerCamelCase
    /// (`MEMBER_STATUS_PAUSED` of `MemberStatus` → `paused`; `NOT_SERVING` → `notServing`).
    static func caseName(value: String, enumName: String) -> String {
        let prefix = upperSnake(enumName) + "_"
        var rest = value.hasPrefix(prefix) ? String(value.dropFirst(prefix.count)) : value
        if rest.isEmpty || rest.first!.isNumber { rest = value }
        return lowerCamel(rest)
    }

    /// `name`, in backticks when Swift reserves it.
    static func escaped(_ name: String) -> String {
        keywords.contains(name) ? "`\(name)`" : name
    }
}
