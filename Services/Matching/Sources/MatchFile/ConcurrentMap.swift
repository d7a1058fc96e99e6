import Dispatch
import Foundation
import Synchronization

extension Array where Element: Sendable {
    /// `map(transform)` with the elements split into one slice per core (an instance's members
    /// are independent of each other). The results keep the elements' order; when `transform`
    /// fails, the error is that of the first element that fails, as with `map`.
    func concurrentMap<T: Sendable, E: Error>(_ transform: @Sendable (Element) throws(E) -> T) throws(E) -> [T] {
        let slices = count < 256 ? 1 : Swift.min(ProcessInfo.processInfo.activeProcessorCount, 16)
        if slices == 1 { return try map(transform) }
        let done = Mutex([Result<[T], E>?](repeating: nil, count: slices))
        let elements = self
        DispatchQueue.concurrentPerform(iterations: slices) { slice in
            let range = (elements.count * slice / slices)..<(elements.count * (slice + 1) / slices)
            let result = Result { () throws(E) -> [T] in try elements[range].map(transform) }
            done.withLock { $0[slice] = result }
        }
        var all: [T] = []
        all.reserveCapacity(count)
        for part in done.withLock({ $0 }) { all += try part!.get() }
        return all
    }
}
