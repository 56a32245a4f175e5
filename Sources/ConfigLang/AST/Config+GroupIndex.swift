extension Config {
    /// Each grouped model's group, as an index into ``groups``: the first group that
    /// lists the model (a model in two groups is reported elsewhere).
    ///
    /// An index rather than the group itself, so that the per-model stages look a
    /// model's group up without copying it.
    func groupIndexByModel() -> [String: Int] {
        var result = [String: Int](minimumCapacity: models.count)
        for (index, group) in groups.enumerated() {
            for member in group.members where result[member.value] == nil { result[member.value] = index }
        }
        return result
    }
}
