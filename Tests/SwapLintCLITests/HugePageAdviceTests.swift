import SwapLintCLI
import Testing

@Suite struct HugePageAdviceTests {
    let large = HugePageAdvice.minimumInputBytes
    let madvise = "always [madvise] never\n"

    @Test func largeInputOnMadviseKernelAddsTheTunable() {
        #expect(
            HugePageAdvice.tunables(kernelMode: madvise, currentTunables: nil, inputBytes: large)
                == "glibc.malloc.hugetlb=1")
        #expect(
            HugePageAdvice.tunables(kernelMode: madvise, currentTunables: "", inputBytes: large * 4)
                == "glibc.malloc.hugetlb=1")
    }

    @Test func keepsTheUsersOtherTunables() {
        #expect(
            HugePageAdvice.tunables(
                kernelMode: madvise, currentTunables: "glibc.malloc.arena_max=2", inputBytes: large)
                == "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1")
    }

    @Test func neverReexecutesWhenTheTunableIsSet() {
        // The second run sees its own tunable; a user's explicit choice (even 0) wins.
        for current in ["glibc.malloc.hugetlb=1", "glibc.malloc.hugetlb=0", "a=1:glibc.malloc.hugetlb=2"] {
            #expect(HugePageAdvice.tunables(kernelMode: madvise, currentTunables: current, inputBytes: large) == nil)
        }
    }

    @Test func smallOrUnsizedInputsRunAsTheyAre() {
        #expect(HugePageAdvice.tunables(kernelMode: madvise, currentTunables: nil, inputBytes: large - 1) == nil)
        #expect(HugePageAdvice.tunables(kernelMode: madvise, currentTunables: nil, inputBytes: nil) == nil)
    }

    @Test func onlyTheMadviseModeIsWorthIt() {
        for mode in ["[always] madvise never", "always madvise [never]", "", "madvise", "garbage ["] {
            #expect(HugePageAdvice.tunables(kernelMode: mode, currentTunables: nil, inputBytes: large) == nil)
        }
        #expect(HugePageAdvice.tunables(kernelMode: nil, currentTunables: nil, inputBytes: large) == nil)
    }
}
