/// An error that means the same wherever it is thrown — a tuning pruner's signal to stop
/// a trial, thrown from inside a model's fit — so the layers between the thrower and the
/// catcher pass it on unchanged instead of wrapping it with the fold or stage where it
/// arose (cross-validation wraps every other fold error in its own error type).
public protocol PassThroughError: Error {}
