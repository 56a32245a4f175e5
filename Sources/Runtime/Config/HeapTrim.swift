#if canImport(Glibc)
    import Glibc
#endif

/// Gives the heap's free pages back to the system after a reload's compile, which may
/// have used tens of MiB on a hostile file: glibc keeps freed memory for reuse, so
/// without this the server's resident size stays at its peak (issue 20).
enum HeapTrim {
    static func returnFreeMemory() {
        #if canImport(Glibc)
            _ = malloc_trim(0)
        #endif
    }
}
