extension Int {
    /// Calls `body` with the value's decimal digits as UTF-8, spelt as `String(self)`
    /// spells them (a leading `-` when negative), without building a string: the digits
    /// live on the stack for the call.
    func withDecimalDigits<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        // Room for a sign and the 19 digits of `Int.min`.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var magnitude = self.magnitude
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if self < 0 {
                start -= 1
                digits[start] = UInt8(ascii: "-")
            }
            return body(UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }
}
