import ArgumentParser
import Foundation
import Hone

/// `hone linalg …`: direct linear-algebra solves on data files.
struct LinalgCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "linalg", abstract: "Linear-algebra solves on data files.", subcommands: [LeastSquaresCommand.self])
}

/// `hone linalg lstsq FILE --target y`: ordinary least squares through LAPACK.
struct LeastSquaresCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lstsq",
    abstract: "Least-squares fit of a target column on feature columns (LAPACK gels or gelsd).")

  @Argument(help: "A .csv or .npy file.") var file: String
  @Option(help: "The target column.") var target: String
  @Option(help: "Comma-separated feature columns (default: every other float or integer column).") var features: String?
  @Option(help: "Solver: qr (dgels, full rank) or svd (dgelsd, any rank).") var method: String = "svd"
  @Flag(help: "Fit without an intercept column.") var noIntercept = false
  @OptionGroup var csv: CSVOptions
  @Flag(help: "Print JSON instead of text.") var json = false

  struct Report: Codable {
    var file: String
    var rows: Int
    var method: String
    var rank: Int
    var names: [String]
    var coefficients: [Double]
    var rSquared: Double
    var residualStandardError: Double
  }

  func run() throws {
    let table = try loadTable(file, csv: csv)
    let names =
      features.map { $0.split(separator: ",").map(String.init) }
      ?? table.columns.filter { ($0.type == .float || $0.type == .integer) && $0.name != target }.map(\.name)
    guard !names.isEmpty else { throw ValidationError("no feature columns: name them with --features") }
    let solver: LeastSquaresMethod
    switch method {
    case "qr": solver = .qr
    case "svd": solver = .svd()
    default: throw ValidationError("--method must be qr or svd, got `\(method)`")
    }
    // Rows with a missing feature or target cannot enter the solve; drop them.
    let all = try table.matrix(columns: names + [target])
    let keep = (0..<all.rows).filter { i in all.row(i).allSatisfy { !$0.isNaN } }
    guard keep.count > names.count else {
      throw ValidationError(
        "only \(keep.count) complete rows for \(names.count) features; a fit needs more rows than features")
    }
    let data = try all.selectingRows(keep)
    var x = try data.selectingColumns(Array(0..<names.count))
    let y = Array(data.column(names.count))
    var labels = names
    if !noIntercept {
      x = try Matrix(
        columnArrays: [[Double](repeating: 1, count: x.rows)] + (0..<x.columns).map { Array(x.column($0)) })
      labels = ["(intercept)"] + names
    }
    let fit = try x.leastSquares(y, method: solver)
    let coefficients = fit.solution.storage
    let fitted = try x.multiplied(by: coefficients)
    let mean = y.reduce(0, +) / Double(y.count)
    let residual = zip(y, fitted).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
    let total = y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    let report = Report(
      file: file, rows: y.count, method: method == "qr" ? "dgels (QR)" : "dgelsd (SVD)", rank: fit.rank,
      names: labels, coefficients: coefficients, rSquared: total > 0 ? 1 - residual / total : .nan,
      residualStandardError: (residual / Double(Swift.max(1, y.count - fit.rank))).squareRoot())
    if json { return try printJSON(report) }
    print(
      "Least squares of `\(target)` on \(names.count) features, \(report.rows) rows, \(report.method), rank \(report.rank)\n"
    )
    print(
      textTable(header: ["term", "coefficient"], rows: zip(labels, coefficients).map { [$0, short($1, digits: 8)] }))
    print(
      "\nR² = \(short(report.rSquared, digits: 6)), residual standard error = \(short(report.residualStandardError))")
  }
}
