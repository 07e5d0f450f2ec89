import Foundation
import Testing

@testable import HoneOps

@Suite("Backtest")
struct BacktestTests {
  /// Two symbols over three periods, computed by hand: at 10 bp per unit traded,
  /// period 1 goes long A / short B (gross (0.01 − 0.02)/2, cost 0.001·2/2), period 2
  /// flips both (gross (0.03 + 0.01)/2, cost 0.001·4/2), period 3 has no forward return.
  @Test func signPositionsCostsAndEquityMatchAHandComputation() throws {
    let result = try Backtest.run(
      signals: [0.3, -0.2, -0.1, 0.4, 0.5, 0.1],
      forwardReturns: [0.01, 0.02, -0.03, 0.01, .nan, .nan],
      periods: [1, 1, 2, 2, 3, 3], symbols: ["A", "B", "A", "B", "A", "B"],
      settings: BacktestSettings(positions: .sign, costBasisPoints: 5, slippageBasisPoints: 5))
    #expect(result.periods == [1, 2])
    #expect(result.positions == [1, -1, -1, 1, 0, 0])
    // Tolerance: a few ulps of the sums involved.
    let tolerance = 1e-15
    #expect(abs(result.grossReturns[0] - -0.005) < tolerance)
    #expect(abs(result.grossReturns[1] - 0.02) < tolerance)
    #expect(abs(result.netReturns[0] - -0.006) < tolerance)
    #expect(abs(result.netReturns[1] - 0.018) < tolerance)
    #expect(abs(result.equity[1] - 0.994 * 1.018) < tolerance)
    #expect(abs(result.drawdown[0] - -0.006) < tolerance)
    #expect(result.drawdown[1] == 0)
    #expect(abs((result.metrics["totalCost"] ?? .nan) - 0.003) < tolerance)
    #expect(abs((result.metrics["turnover"] ?? .nan) - 1.5) < tolerance)
    // Sharpe by its definition: mean / sample std · √252 of the two net returns.
    let sharpe = 0.006 / (2 * 0.012 * 0.012).squareRoot() * 252.0.squareRoot()
    #expect(abs((result.metrics["sharpeRatio"] ?? .nan) - sharpe) < 1e-12)
    #expect(result.metrics["hitRate"] == 0.5)
  }

  @Test func thresholdIsLongOnlyAboveTheLevelAndSignHasADeadBand() throws {
    let signals = [0.05, 0.2, -0.3, -0.05]
    let returns = [0.01, 0.01, 0.01, 0.01]
    let periods: [Int64] = [1, 2, 3, 4]
    let long = try Backtest.run(
      signals: signals, forwardReturns: returns, periods: periods,
      settings: BacktestSettings(positions: .threshold, threshold: 0.1, costBasisPoints: 0, slippageBasisPoints: 0))
    #expect(long.positions == [0, 1, 0, 0])
    let band = try Backtest.run(
      signals: signals, forwardReturns: returns, periods: periods,
      settings: BacktestSettings(positions: .sign, threshold: 0.1, costBasisPoints: 0, slippageBasisPoints: 0))
    #expect(band.positions == [0, 1, -1, 0])
    #expect(band.netReturns == [0, 0.01, -0.01, 0])
  }

  /// With four symbols and a 0.25 quantile one name goes long and one short per period;
  /// ties break by input order.
  @Test func rankTradesTheTopAndBottomQuantile() throws {
    let result = try Backtest.run(
      signals: [0.1, 0.4, -0.2, 0.0, 0.3, 0.3, 0.3, 0.3],
      forwardReturns: [0.01, 0.02, -0.01, 0.0, 0.01, 0.02, 0.03, 0.04],
      periods: [1, 1, 1, 1, 2, 2, 2, 2], symbols: ["A", "B", "C", "D", "A", "B", "C", "D"],
      settings: BacktestSettings(positions: .rank, quantile: 0.25, costBasisPoints: 0, slippageBasisPoints: 0))
    #expect(result.positions == [0, 1, -1, 0, 1, 0, 0, -1])
    #expect(result.grossReturns == [(0.02 + 0.01) / 4, (0.01 - 0.04) / 4])
  }

  /// A symbol that leaves the sample is closed out and pays for it.
  @Test func aDepartingSymbolIsClosedOutAtCost() throws {
    let result = try Backtest.run(
      signals: [1, 1, 1], forwardReturns: [0, 0, 0], periods: [1, 1, 2], symbols: ["A", "B", "A"],
      settings: BacktestSettings(costBasisPoints: 10, slippageBasisPoints: 0))
    // Period 1: enter A and B, turnover 2 over 2 names; period 2: B (1 unit) is sold.
    #expect(result.netReturns == [-0.001, -0.001])
  }

  @Test func badInputsThrowClearErrors() {
    #expect(throws: BacktestError.self) {
      try Backtest.run(signals: [], forwardReturns: [], periods: [])
    }
    #expect(throws: BacktestError.self) {
      try Backtest.run(signals: [1, 2], forwardReturns: [0.1], periods: [1, 2])
    }
    #expect(throws: BacktestError.self) {
      try Backtest.run(signals: [.nan], forwardReturns: [0.1], periods: [1])
    }
    #expect(throws: BacktestError.self) {
      try Backtest.run(signals: [1], forwardReturns: [-1.5], periods: [1])
    }
    #expect(throws: BacktestError.self) {
      try Backtest.run(signals: [1, 2], forwardReturns: [0, 0], periods: [1, 1], symbols: ["A", "A"])
    }
    #expect(throws: BacktestError.self) {
      try Backtest.run(
        signals: [1], forwardReturns: [0], periods: [1], settings: BacktestSettings(positions: .rank, quantile: 0.7))
    }
    #expect(throws: BacktestError.self) {
      try Backtest.run(signals: [1], forwardReturns: [0], periods: [1], settings: BacktestSettings(costBasisPoints: -1))
    }
  }
}
