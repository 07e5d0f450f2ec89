/// Gradient-boosted decision trees (to be built).
enum HoneTreesNamespace {}
