/// Gives the heap's free pages back to the system after a reload's compile, which may
/// have used tens of MiB on a hostile file: glibc keeps freed memory for reuse, so
/// without this the server's resident size stays at its peak (issue 20).
enum HeapTrim {
    static func returnFreeMemory() {
        #if os(Linux)
            _ = glibcMallocTrim(0)
        #endif
    }
}

#if os(Linux)
    // `malloc_trim` is declared in <malloc.h>, which the Glibc module does not export;
    // its one integer argument and result pass the same way in Swift's and C's
    // conventions.
    @_silgen_name("malloc_trim")
    private func glibcMallocTrim(_ pad: Int) -> Int32
#endif
