import ProfilesV1
import ProtoJSON

/// A member in a request body: the generated proto3 JSON reader, limited to the fields a client
/// may set (id, status, version and times are the service's).
enum MemberJSON {
    /// JSON name → proto field name, for the fields a client may send.
    static let writableFields: [String: String] = [
        "email": "email", "displayName": "display_name", "headline": "headline", "bio": "bio", "roles": "roles",
        "networks": "networks", "organization": "organization", "department": "department", "location": "location",
        "timezone": "timezone", "languages": "languages", "yearsOfExperience": "years_of_experience",
        "expertise": "expertise", "learningGoals": "learning_goals", "mentoringCapacity": "mentoring_capacity",
        "availability": "availability", "preferences": "preferences",
    ]

    /// Reads the writable fields present in `reader` (by JSON or proto name, plus the keys in
    /// `extra`, which the caller reads itself) into a member; returns the proto names of the
    /// writable fields present.
    static func read(_ reader: JSONObjectReader, allowing extra: Set<String> = []) throws(JSONError) -> (
        Member, [String]
    ) {
        let protoNames = Set(writableFields.values)
        try reader.rejectUnknown(Set(writableFields.keys).union(protoNames).union(extra))
        let writable = JSONObjectReader(
            fields: reader.fields.filter { writableFields[$0.key] != nil || protoNames.contains($0.key) },
            path: reader.path)
        let member = try Member(json: writable)
        let present = Set(
            writable.fields.keys.filter { writable.has($0) }.map { writableFields[$0] ?? $0 })
        return (member, present.sorted())
    }
}
