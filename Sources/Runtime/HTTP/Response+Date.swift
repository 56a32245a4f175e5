import HTTPTypes
import Hummingbird

extension Response {
    /// The head swap-server sends for this response: its own with the `Date` header set
    /// to `date` (the current one, from ``HTTPDateCache``).
    func head(date: String) -> HTTPResponse {
        var head = self.head
        head.headerFields[.date] = date
        return head
    }
}
