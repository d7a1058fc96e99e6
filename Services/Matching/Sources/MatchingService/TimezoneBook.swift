/// A suggestion index's members by timezone, with the UTC offset each timezone's members were
/// indexed at: when daylight saving moves an offset, just that timezone's members are indexed again.
struct TimezoneBook: Sendable {
    /// Each timezone in use and the offset (minutes) its members' availability was moved to UTC by.
    private(set) var offsets: [String: Int] = [:]
    private var membersByZone: [String: Set<String>] = [:]
    private var zoneOfMember: [String: String] = [:]

    /// The members indexed in `zone`.
    func members(of zone: String) -> Set<String> { membersByZone[zone] ?? [] }

    /// Records `id` as being in `zone`; a timezone new to the book takes `offset()`.
    mutating func place(_ id: String, in zone: String, offset: () -> Int) {
        if let old = zoneOfMember[id] {
            if old == zone { return }
            remove(id)
        }
        zoneOfMember[id] = zone
        membersByZone[zone, default: []].insert(id)
        if offsets[zone] == nil { offsets[zone] = offset() }
    }

    /// Forgets `id`, and their timezone once nobody else is in it.
    mutating func remove(_ id: String) {
        guard let zone = zoneOfMember.removeValue(forKey: id) else { return }
        membersByZone[zone]?.remove(id)
        if membersByZone[zone]?.isEmpty ?? true {
            membersByZone[zone] = nil
            offsets[zone] = nil
        }
    }

    /// Records that `zone`'s members are now indexed at `offset`.
    mutating func setOffset(_ offset: Int, of zone: String) {
        if offsets[zone] != nil { offsets[zone] = offset }
    }
}
