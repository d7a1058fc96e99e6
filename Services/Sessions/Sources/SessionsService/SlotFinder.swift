/// Finds start times at which every partner is available and nobody is busy: pure interval
/// arithmetic over microseconds since 1970 UTC.
public enum SlotFinder {
    /// Up to `limit` starts `s`, whole multiples of `step`, with `from <= s` and
    /// `s + duration <= until`, such that `[s, s + duration)` lies inside one of each partner's
    /// `available` stretches and meets none of `blocked` (sessions and holds, widened by the
    /// buffer).
    public static func find(
        duration: Int64, from: Int64, until: Int64, step: Int64, limit: Int,
        available: [[Range<Int64>]], blocked: [Range<Int64>]
    ) -> [Int64] {
        guard var free = available.first else { return [] }
        for other in available.dropFirst() { free = intersect(free, other) }
        free = subtract(free, merge(blocked))
        var starts: [Int64] = []
        for stretch in free {
            let upper = min(stretch.upperBound, until)
            var start = ceilToMultiple(max(stretch.lowerBound, from), step)
            while start + duration <= upper {
                starts.append(start)
                if starts.count == limit { return starts }
                start += step
            }
        }
        return starts
    }

    /// Sorted, merged ranges: overlapping or touching ones become one.
    static func merge<Bound: Comparable>(_ ranges: [Range<Bound>]) -> [Range<Bound>] {
        var merged: [Range<Bound>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) where !range.isEmpty {
            if let last = merged.last, range.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    /// Where both sorted, disjoint lists hold.
    static func intersect(_ a: [Range<Int64>], _ b: [Range<Int64>]) -> [Range<Int64>] {
        var result: [Range<Int64>] = []
        var i = 0
        var j = 0
        while i < a.count && j < b.count {
            let lower = max(a[i].lowerBound, b[j].lowerBound)
            let upper = min(a[i].upperBound, b[j].upperBound)
            if lower < upper { result.append(lower..<upper) }
            if a[i].upperBound < b[j].upperBound { i += 1 } else { j += 1 }
        }
        return result
    }

    /// `a` less `b`, both sorted and disjoint.
    static func subtract(_ a: [Range<Int64>], _ b: [Range<Int64>]) -> [Range<Int64>] {
        var result: [Range<Int64>] = []
        var j = 0
        for range in a {
            var lower = range.lowerBound
            while j < b.count && b[j].upperBound <= lower { j += 1 }
            var k = j
            while k < b.count && b[k].lowerBound < range.upperBound {
                if b[k].lowerBound > lower { result.append(lower..<b[k].lowerBound) }
                lower = max(lower, b[k].upperBound)
                k += 1
            }
            if lower < range.upperBound { result.append(lower..<range.upperBound) }
        }
        return result
    }

    static func ceilToMultiple(_ value: Int64, _ step: Int64) -> Int64 {
        let remainder = ((value % step) + step) % step
        return remainder == 0 ? value : value + step - remainder
    }
}
