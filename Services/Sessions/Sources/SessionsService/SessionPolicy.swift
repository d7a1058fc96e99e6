/// The scheduling rules the service enforces (flags of `mentornet-sessions`; docs/sessions.md).
public struct SessionPolicy: Sendable, Equatable {
    /// The least time between booking (or moving) a session and its start, in minutes.
    public var minimumNoticeMinutes: Int
    /// The free time kept around each session of a participant, in minutes: two sessions of one
    /// person must be at least this far apart.
    public var bufferMinutes: Int
    /// A session cannot be moved or cancelled less than this many minutes before it starts
    /// (0: up to its start).
    public var changeCutoffMinutes: Int
    /// The most times one booking may be moved.
    public var maximumReschedules: Int
    /// Moving a session needs a reason.
    public var rescheduleReasonRequired: Bool

    /// The rules; the defaults are the service's.
    public init(
        minimumNoticeMinutes: Int = 60, bufferMinutes: Int = 10, changeCutoffMinutes: Int = 0,
        maximumReschedules: Int = 5, rescheduleReasonRequired: Bool = false
    ) {
        self.minimumNoticeMinutes = minimumNoticeMinutes
        self.bufferMinutes = bufferMinutes
        self.changeCutoffMinutes = changeCutoffMinutes
        self.maximumReschedules = maximumReschedules
        self.rescheduleReasonRequired = rescheduleReasonRequired
    }
}
