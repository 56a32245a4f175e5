import SwapLintCLI
import Testing

@Suite struct HugePageAdviceTests {
    let large = HugePageAdvice.minimumInputBytes
    let madvise = "always [madvise] never\n"

    @Test func largeInputOnMadviseKernelAddsTheTunables() {
        #expect(
            HugePageAdvice.tunables(currentTunables: nil, inputBytes: large, kernelMode: madvise)
                == "glibc.malloc.hugetlb=1:glibc.malloc.top_pad=33554432")
        #expect(
            HugePageAdvice.tunables(currentTunables: "", inputBytes: large * 4, kernelMode: madvise)
                == "glibc.malloc.hugetlb=1:glibc.malloc.top_pad=33554432")
    }

    @Test func keepsTheUsersOtherTunables() {
        #expect(
            HugePageAdvice.tunables(
                currentTunables: "glibc.malloc.arena_max=2", inputBytes: large, kernelMode: madvise)
                == "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1:glibc.malloc.top_pad=33554432")
    }

    @Test func aTopPadTheUserSetIsKept() {
        #expect(
            HugePageAdvice.tunables(
                currentTunables: "glibc.malloc.top_pad=0", inputBytes: large, kernelMode: madvise)
                == "glibc.malloc.top_pad=0:glibc.malloc.hugetlb=1")
    }

    @Test func aRestartedProcessLooksAtNothingElse() {
        var asked = false
        func bytes() -> Int? {
            asked = true
            return large
        }
        #expect(
            HugePageAdvice.tunables(currentTunables: "glibc.malloc.hugetlb=1", inputBytes: bytes(), kernelMode: madvise)
                == nil)
        #expect(!asked)
    }

    @Test func neverReexecutesWhenTheTunableIsSet() {
        // The second run sees its own tunable; a user's explicit choice (even 0) wins.
        for current in ["glibc.malloc.hugetlb=1", "glibc.malloc.hugetlb=0", "a=1:glibc.malloc.hugetlb=2"] {
            #expect(HugePageAdvice.tunables(currentTunables: current, inputBytes: large, kernelMode: madvise) == nil)
        }
    }

    @Test func smallOrUnsizedInputsRunAsTheyAre() {
        #expect(HugePageAdvice.tunables(currentTunables: nil, inputBytes: large - 1, kernelMode: madvise) == nil)
        #expect(HugePageAdvice.tunables(currentTunables: nil, inputBytes: nil, kernelMode: madvise) == nil)
    }

    @Test func onlyTheMadviseModeIsWorthIt() {
        for mode in ["[always] madvise never", "always madvise [never]", "", "madvise", "garbage ["] {
            #expect(HugePageAdvice.tunables(currentTunables: nil, inputBytes: large, kernelMode: mode) == nil)
        }
        #expect(HugePageAdvice.tunables(currentTunables: nil, inputBytes: large, kernelMode: nil) == nil)
    }
}
