// Package curves fits per-platform response curves to weekly spend and
// outcome history and plans budget moves on them, deterministically and
// without I/O.
//
// A platform's weekly outcome is modelled as base + β·hill(adstock(spend)):
// geometric adstock with decay d, normalised so that a steady weekly spend x
// has adstock x, and Hill saturation x^s/(x^s+k^s). The decay, the
// half-saturation k (a multiple of the platform's mean weekly spend) and the
// shape s come from a fixed grid; for each point of the grid base and β are
// fitted by non-negative least squares, and the point is chosen by
// rolling-origin cross-validation: fitted on the weeks before each origin,
// scored on the four weeks after it. The curve so fitted describes what the
// platform reports (attributed outcome); where a significant experiment
// measured the platform's incremental return, the curve is scaled so that
// its return over the test window equals the test's incremental ROAS.
//
// Plan moves money greedily in fixed steps from where the next dollar
// returns least to where it returns most, each platform held within ±30% of
// its current spend and inside the weekly spend it has actually had, and
// gives the expected change in outcome as a range from a fixed-seed
// residual bootstrap. Backtest fits up to a cut-off and scores the
// predicted outcome of the weeks after it, at their actual spend, against
// what happened.
//
// Fitting every platform of two years of daily data (eight platforms,
// aggregated to weeks, with the bootstrap) takes 15–16 ms on a 2-core
// machine, 48–56 ms with it shared at load 8 (BenchmarkFitTwoYearsDaily);
// the budget is 200 ms.
package curves
