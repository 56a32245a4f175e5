@testable import ConfigLang
import Testing

@testable import Runtime

/// Which running models must stop for a model to start, per routing engine.
struct SchedulerEvictionSolverTests {
    static func matrix(_ sets: [[String]], costs: [String: Int] = [:]) -> EvictionSolver {
        EvictionSolver(
            routing: RoutingPlan(engine: "matrix", groups: [], matrixSets: sets, evictCosts: costs, priorities: [:]))
    }

    @Test("matrix: lowest summed evict cost wins")
    func matrixCost() {
        let sets = [["g", "v"], ["q", "v"], ["q", "v", "e"], ["q", "sd"], ["big"]]
        let solver = Self.matrix(sets, costs: ["v": 50])
        #expect(solver.victims(toRun: "q", running: ["g", "v"]) == ["g"])
        #expect(solver.victims(toRun: "q", running: ["g", "sd"]) == ["g"])
        #expect(solver.victims(toRun: "q", running: ["v", "sd"]) == ["sd"], "keeping v (50) beats keeping sd (1)")
        #expect(solver.victims(toRun: "q", running: ["g", "v", "e"]) == ["g"])
    }

    @Test("matrix: ties go to the set defined first")
    func matrixTieBreak() {
        #expect(Self.matrix([["a", "b"], ["a", "c"]]).victims(toRun: "a", running: ["b", "c"]) == ["c"])
        #expect(Self.matrix([["a", "c"], ["a", "b"]]).victims(toRun: "a", running: ["b", "c"]) == ["b"])
        #expect(
            Self.matrix([["a", "b"], ["a", "c"]], costs: ["b": 2]).victims(toRun: "a", running: ["b", "c"]) == ["c"])
        #expect(
            Self.matrix([["a", "b"], ["a", "c"]], costs: ["c": 2]).victims(toRun: "a", running: ["b", "c"]) == ["b"])
    }

    @Test("matrix: a model in no set runs alone; nothing running means nothing to evict")
    func matrixAlone() {
        let solver = Self.matrix([["a", "b"]])
        #expect(solver.victims(toRun: "z", running: ["a", "b"]) == ["a", "b"])
        #expect(solver.victims(toRun: "a", running: ["a"]) == [])
        #expect(solver.victims(toRun: "a", running: []) == [])
    }

    @Test("groups: swap, exclusive, persistent and models outside every group")
    func groups() {
        let solver = EvictionSolver(
            routing: RoutingPlan(
                engine: "group",
                groups: [
                    GroupPlan(name: "swap", swap: true, exclusive: true, persistent: false, members: ["a", "b"]),
                    GroupPlan(name: "together", swap: false, exclusive: false, persistent: false, members: ["c", "d"]),
                    GroupPlan(name: "keep", swap: false, exclusive: true, persistent: true, members: ["p", "q"]),
                ], matrixSets: [], evictCosts: [:], priorities: [:]))
        #expect(solver.victims(toRun: "a", running: ["b", "c", "p", "gone"]) == ["b", "c", "gone"])
        #expect(solver.victims(toRun: "c", running: ["a", "d", "p", "gone"]) == [])
        #expect(solver.victims(toRun: "p", running: ["a", "c", "q"]) == ["a", "c"], "exclusive, swap: false")
    }
}
