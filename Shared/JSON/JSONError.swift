/// A JSON body or field that cannot be read: which field (a path such as `expertise[2].level`, or
/// `body`) and the rule it broke.
public struct JSONError: Error, Sendable, Equatable {
    /// The field's path in the JSON, e.g. `expertise[2].level`.
    public var field: String
    /// The rule it broke, e.g. `must be a string`.
    public var description: String
    /// A message for people: `invalid expertise[2].level: must be …` unless given.
    public var message: String

    /// A problem with `field`.
    public init(_ field: String, _ description: String) {
        self.init(field: field, description: description, message: "invalid \(field): \(description)")
    }

    /// A problem with `field`, with its own message.
    public init(field: String, description: String, message: String) {
        self.field = field
        self.description = description
        self.message = message
    }

    /// A field path in proto names as JSON names it: `learning_goals[0].start_minute` →
    /// `learningGoals[0].startMinute`.
    public static func jsonPath(_ protoPath: String) -> String {
        var result = ""
        var upperNext = false
        for character in protoPath {
            if character == "_" {
                upperNext = true
            } else {
                result.append(upperNext ? Character(character.uppercased()) : character)
                upperNext = false
            }
        }
        return result
    }
}
