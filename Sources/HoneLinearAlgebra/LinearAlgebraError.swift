/// An error from a linear-algebra routine: a LAPACK `info != 0`, a shape that does not
/// fit, or an argument out of range.
///
/// Every LAPACK failure becomes one of these, naming the routine and saying what the code
/// means, for example `dpotrf: matrix is not positive definite: leading minor 7`.
public struct LinearAlgebraError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What went wrong, in categories a caller can match on.
  public enum Kind: Sendable, Equatable {
    /// The shapes of the operands do not fit together.
    case dimensionMismatch
    /// An argument is out of its valid range (LAPACK `info < 0`, or checked before the call).
    case invalidArgument
    /// A Cholesky factorization met a leading minor that is not positive.
    case notPositiveDefinite(leadingMinor: Int)
    /// The matrix is exactly singular: `U(i, i)` is zero in its LU factorization.
    case singular(pivot: Int)
    /// The matrix does not have full rank where the routine needs it.
    case rankDeficient
    /// An iterative algorithm (SVD, eigenvalues) did not converge.
    case notConverged(count: Int)
    /// The input contains NaN or infinity.
    case nonFinite
  }

  /// The category of the error.
  public let kind: Kind
  /// The LAPACK or BLAS routine (`dpotrf`) or Swift API that failed.
  public let routine: String
  /// The LAPACK `info` code, when there was one.
  public let info: Int?
  /// A human-readable explanation including how to fix it.
  public let message: String

  /// Creates an error.
  public init(kind: Kind, routine: String, info: Int? = nil, message: String) {
    self.kind = kind
    self.routine = routine
    self.info = info
    self.message = message
  }

  /// A message of the form `routine: what happened`.
  public var description: String { "\(routine): \(message)" }

  static func dimensionMismatch(routine: String, message: String) -> LinearAlgebraError {
    LinearAlgebraError(kind: .dimensionMismatch, routine: routine, message: message)
  }

  static func invalidArgument(routine: String, message: String) -> LinearAlgebraError {
    LinearAlgebraError(kind: .invalidArgument, routine: routine, message: message)
  }

  /// The error for a negative LAPACK `info`: argument `-info` had an illegal value.
  static func illegalArgument(routine: String, info: Int32) -> LinearAlgebraError {
    LinearAlgebraError(
      kind: .invalidArgument, routine: routine, info: Int(info),
      message:
        "argument \(-info) had an illegal value (a bug in Hone's wrapper, or NaN in the input; please report it)"
    )
  }
}
