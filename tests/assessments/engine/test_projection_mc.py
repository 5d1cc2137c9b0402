"""The Monte Carlo projection: fast path against references, blocks and chunks."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.engine.assumptions import Triangle
from assessments.engine.projection import ProjectedProcess, deterministic_projection
from assessments.engine.projection_drivers import build_portfolio, triangular
from assessments.engine.projection_kernels import (
    discount_factors,
    net_by_wave,
    process_components,
)
from assessments.engine.projection_mc import (
    BLOCK_TRIALS,
    TrialSet,
    monte_carlo,
    plan_chunks,
    simulate_blocks,
    summarise,
)
from assessments.engine.projection_reference import net_by_process_loop, npv_loop

ESCALATION = {"inflation_in": 0.035, "inflation_vendor": 0.04}

process_strategy = st.builds(
    ProjectedProcess,
    name=st.text("abc", min_size=1, max_size=3),
    model=st.sampled_from(["ITO", "BPO", "KPO"]),
    location=st.sampled_from(["onshore", "nearshore", "offshore"]),
    annual_cost=st.floats(1_000, 10_000_000),
    start_month=st.integers(0, 30),
    wave=st.integers(1, 3),
)


def portfolio_of(n: int) -> list[ProjectedProcess]:
    models = ["ITO", "BPO", "KPO"]
    locations = ["onshore", "nearshore", "offshore"]
    return [
        ProjectedProcess(
            name=f"process {i}",
            model=models[i % 3],
            location=locations[(i // 3) % 3],
            annual_cost=250_000.0 * (1 + i % 7),
            start_month=(i % 3) * 12 + i % 4,
            wave=i % 3 + 1,
        )
        for i in range(n)
    ]


def wave_sums(per_process: np.ndarray, wave_index: np.ndarray, n_waves: int) -> np.ndarray:
    """(trials, processes, months) summed into (trials, waves, months)."""
    out = np.zeros((per_process.shape[0], n_waves, per_process.shape[2]))
    for p, w in enumerate(wave_index):
        out[:, w] += per_process[:, p]
    return out


@settings(max_examples=40, deadline=None)
@given(
    processes=st.lists(process_strategy, min_size=1, max_size=4),
    horizon=st.integers(1, 40),
    seed=st.integers(0, 2**32),
)
def test_the_fast_path_equals_the_full_tensor_and_the_plain_loop(processes, horizon, seed):
    portfolio = build_portfolio(processes)
    draws = portfolio.draw(np.random.default_rng(seed), 3)
    fast = net_by_wave(portfolio, draws, horizon=horizon, **ESCALATION)
    tensor = process_components(portfolio, draws, horizon=horizon, **ESCALATION).net
    loop = np.array(net_by_process_loop(portfolio, draws, horizon=horizon, **ESCALATION))
    n_waves = len(portfolio.waves)
    scale = 1e-9 * max(1.0, np.abs(tensor).max())
    np.testing.assert_allclose(tensor, loop, rtol=1e-9, atol=scale)
    np.testing.assert_allclose(
        fast, wave_sums(tensor, portfolio.wave_index, n_waves), rtol=1e-9, atol=scale
    )
    discount = discount_factors(0.08, horizon)
    for trial in range(3):
        npv = sum(npv_loop(list(loop[trial, p]), 0.08) for p in range(len(processes)))
        assert fast[trial].sum(axis=0) @ discount == pytest.approx(npv, rel=1e-9, abs=1e-6)


def test_the_fast_path_at_the_modes_equals_the_deterministic_projection():
    processes = portfolio_of(30)
    portfolio = build_portfolio(processes)
    fast = net_by_wave(portfolio, portfolio.at(1), horizon=60, **ESCALATION)[0]
    result = deterministic_projection(processes, horizon=60, discount_rate=0.08)
    np.testing.assert_allclose(fast, result.wave_net, rtol=1e-9, atol=1e-6)


def test_draws_follow_numpys_triangular_on_the_same_stream():
    triangle = np.array([[0.05, 3.0, 0.0], [0.20, 5.0, 0.15], [0.35, 9.0, 0.35]])
    ours = triangular(np.random.default_rng(7), triangle, 1000)
    numpys = np.random.default_rng(7).triangular(*triangle, size=(1000, 3))
    np.testing.assert_allclose(ours, numpys, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("rows", [slice(0, 1), slice(3, 40), slice(37, 50), slice(0, 50)])
def test_rows_drawn_on_their_own_are_the_rows_of_the_whole_draw(rows):
    portfolio = build_portfolio(portfolio_of(13))
    part = portfolio.draw_rows(np.random.PCG64(np.random.SeedSequence([4, 2])), 50, rows)
    whole = portfolio.draw(np.random.Generator(np.random.PCG64(np.random.SeedSequence([4, 2]))), 50)
    for name in ("saving_eff", "transition_months", "one_time_cost", "governance", "dip"):
        np.testing.assert_array_equal(getattr(part, name), getattr(whole, name)[rows])


@pytest.mark.parametrize("tile_values", [1, 13 * 7, 10**9])
def test_a_block_computed_in_tiles_is_the_block_computed_whole(monkeypatch, tile_values):
    """One trial per tile, seven trials, and the whole block at once give the same bits."""
    processes = portfolio_of(13)
    run = {"seed": 3, "total_trials": 2 * BLOCK_TRIALS + 9, "blocks": [0, 2], "horizon": 30}
    whole = simulate_blocks(processes, discount_rate=0.08, **run)
    monkeypatch.setattr("assessments.engine.projection_mc.TILE_VALUES", tile_values)
    tiled = simulate_blocks(processes, discount_rate=0.08, **run)
    for name in ("trial_index", "npv", "cumulative", "wave_npv"):
        np.testing.assert_array_equal(getattr(tiled, name), getattr(whole, name))


def test_a_fixed_value_triangle_draws_that_value():
    draws = triangular(np.random.default_rng(1), np.array([[0.3], [0.3], [0.3]]), 100)
    assert np.all(draws == 0.3)


def test_plan_chunks_covers_every_block_once_in_order():
    chunks = plan_chunks(10 * BLOCK_TRIALS + 1, 4)
    assert [b for chunk in chunks for b in chunk] == list(range(11))
    assert {len(chunk) for chunk in chunks} <= {2, 3}
    assert plan_chunks(BLOCK_TRIALS, 8) == [[0]]


def test_a_block_draws_the_same_trials_whichever_chunk_computes_it():
    processes = portfolio_of(12)
    run = {"seed": 11, "total_trials": 4 * BLOCK_TRIALS, "horizon": 48, "discount_rate": 0.08}
    everything = simulate_blocks(processes, blocks=range(4), **run)
    alone = simulate_blocks(processes, blocks=[2], **run)
    rows = slice(2 * BLOCK_TRIALS, 3 * BLOCK_TRIALS)
    assert np.array_equal(alone.npv, everything.npv[rows])
    assert np.array_equal(alone.cumulative, everything.cumulative[rows])
    assert np.array_equal(alone.trial_index, np.arange(rows.start, rows.stop))


@pytest.mark.parametrize("n_chunks", [1, 2, 3, 5])
def test_chunked_runs_summarise_exactly_like_one_run(n_chunks):
    processes = portfolio_of(9)
    trials = 5 * BLOCK_TRIALS - 123
    run = {"seed": 5, "total_trials": trials, "horizon": 36, "discount_rate": 0.08}
    whole = summarise([simulate_blocks(processes, blocks=range(5), **run)])
    chunks = [simulate_blocks(processes, blocks=b, **run) for b in plan_chunks(trials, n_chunks)]
    chunked = summarise(reversed(chunks))
    assert chunked.to_dict() == whole.to_dict()
    assert chunked.trials == trials


def test_monte_carlo_does_not_depend_on_the_chunk_size():
    processes = portfolio_of(6)
    run = {"trials": 1_600, "seed": 3, "horizon": 24, "discount_rate": 0.08}
    results = [monte_carlo(processes, chunk_blocks=c, **run).to_dict() for c in (None, 1, 3)]
    assert results[0] == results[1] == results[2]


def test_a_chunk_delivered_twice_counts_once():
    processes = portfolio_of(6)
    run = {"seed": 2, "total_trials": 3 * BLOCK_TRIALS, "horizon": 24, "discount_rate": 0.08}
    first = simulate_blocks(processes, blocks=[0, 1], **run)
    second = simulate_blocks(processes, blocks=[1, 2], **run)
    once = summarise([first, second])
    twice = summarise([first, second, second, first])
    assert once.trials == twice.trials == 3 * BLOCK_TRIALS
    assert once.to_dict() == twice.to_dict()


def test_a_missing_block_stops_the_summary():
    processes = portfolio_of(3)
    run = {"seed": 2, "total_trials": 3 * BLOCK_TRIALS, "horizon": 12, "discount_rate": 0.08}
    with pytest.raises(ValueError, match=r"missing.*\[1\]"):
        summarise(
            [
                simulate_blocks(processes, blocks=[0], **run),
                simulate_blocks(processes, blocks=[2], **run),
            ]
        )


def test_chunks_of_different_runs_are_not_mixed():
    processes = portfolio_of(3)
    run = {"total_trials": 2 * BLOCK_TRIALS, "horizon": 12, "discount_rate": 0.08}
    with pytest.raises(ValueError, match="different projection runs"):
        summarise(
            [
                simulate_blocks(processes, seed=1, blocks=[0], **run),
                simulate_blocks(processes, seed=2, blocks=[1], **run),
            ]
        )


def test_a_trial_set_survives_a_round_trip_through_bytes():
    processes = portfolio_of(4)
    original = simulate_blocks(
        processes, seed=9, total_trials=700, blocks=[1], horizon=18, discount_rate=0.05
    )
    restored = TrialSet.from_bytes(original.to_bytes())
    assert restored.blocks == (1,)
    assert restored.fingerprint == original.fingerprint
    assert restored.waves == original.waves
    for field in ("trial_index", "npv", "cumulative", "wave_npv"):
        assert np.array_equal(getattr(restored, field), getattr(original, field))


def test_a_chunk_stored_compressed_by_an_earlier_release_still_reads():
    """Earlier releases wrote the same members with zlib (np.savez_compressed)."""
    import io

    original = simulate_blocks(
        portfolio_of(4), seed=9, total_trials=700, blocks=[0], horizon=18, discount_rate=0.05
    )
    plain = original.to_bytes()
    with np.load(io.BytesIO(plain), allow_pickle=False) as members:
        compressed = io.BytesIO()
        np.savez_compressed(compressed, **{name: members[name] for name in members.files})
    restored = TrialSet.from_bytes(compressed.getvalue())
    assert (restored.fingerprint, restored.blocks) == (original.fingerprint, (0,))
    for field in ("trial_index", "npv", "cumulative", "wave_npv"):
        assert np.array_equal(getattr(restored, field), getattr(original, field))
    assert len(plain) > len(compressed.getvalue())  # stored plain now


def test_the_summary_reports_waves_and_converts_to_plain_json_types():
    import json

    summary = monte_carlo(portfolio_of(6), trials=600, seed=1, horizon=48, discount_rate=0.08)
    data = json.loads(json.dumps(summary.to_dict()))
    assert [w["wave"] for w in data["waves"]] == [1, 2, 3]
    assert len(data["cumulative_p50"]) == 48
    assert 0 <= data["prob_npv_negative"] <= 1


def test_the_median_npv_is_near_the_deterministic_npv():
    processes = portfolio_of(20)
    summary = monte_carlo(processes, trials=2_000, seed=4, horizon=60, discount_rate=0.08)
    modes = deterministic_projection(processes, horizon=60, discount_rate=0.08)
    assert summary.npv_p10 < modes.npv < summary.npv_p90


@settings(max_examples=25, deadline=None)
@given(processes=st.lists(process_strategy, min_size=1, max_size=4), seed=st.integers(0, 1000))
def test_percentiles_are_ordered_for_every_month_and_for_npv(processes, seed):
    summary = monte_carlo(
        processes, trials=BLOCK_TRIALS + 50, seed=seed, horizon=30, discount_rate=0.08
    )
    assert np.all(summary.cumulative_p10 <= summary.cumulative_p50)
    assert np.all(summary.cumulative_p50 <= summary.cumulative_p90)
    assert summary.npv_p10 <= summary.npv_p50 <= summary.npv_p90
    for wave in summary.waves:
        assert wave.npv_p10 <= wave.npv_p50 <= wave.npv_p90


@settings(max_examples=25, deadline=None)
@given(
    processes=st.lists(process_strategy, min_size=1, max_size=4),
    shift=st.floats(0, 0.3),
    seed=st.integers(0, 1000),
)
def test_a_higher_saving_triangle_never_lowers_any_trials_npv(processes, shift, seed):
    def with_saving(low):
        triangle = Triangle(low, low + 0.1, low + 0.25)
        return [ProjectedProcess(**{**vars(p), "saving": triangle}) for p in processes]

    run = {"seed": seed, "total_trials": 200, "blocks": [0], "horizon": 40, "discount_rate": 0.08}
    lower = simulate_blocks(with_saving(0.0), **run)
    higher = simulate_blocks(with_saving(shift), **run)
    tolerance = 1e-9 * np.maximum(1.0, np.abs(lower.npv))
    assert np.all(higher.npv >= lower.npv - tolerance)


def test_the_expected_npv_is_the_mean_over_every_trial():
    import math
    from fractions import Fraction

    processes = portfolio_of(6)
    run = {"seed": 7, "total_trials": 2 * BLOCK_TRIALS + 40, "horizon": 36, "discount_rate": 0.08}
    trials = simulate_blocks(processes, blocks=[0, 1, 2], **run)
    exact = sum((Fraction(v) for v in trials.npv.tolist()), Fraction(0)) / trials.npv.size
    summary = summarise([trials])
    # exact to the last bit or two: a correctly rounded sum, then one division
    assert abs(summary.npv_mean - float(exact)) <= 2 * math.ulp(float(exact))
    assert summary.to_dict()["npv_mean"] == summary.npv_mean


def test_the_expected_npv_does_not_depend_on_the_order_the_chunks_arrive_in():
    processes = portfolio_of(9)
    run = {"seed": 11, "total_trials": 4 * BLOCK_TRIALS, "horizon": 24, "discount_rate": 0.08}
    chunks = [simulate_blocks(processes, blocks=[b], **run) for b in range(4)]
    assert summarise(chunks).npv_mean == summarise(reversed(chunks)).npv_mean


def test_skewed_savings_put_the_expected_npv_below_the_npv_at_the_modes():
    # The default saving triangles have a long low tail, so the mean of the trials sits
    # under the NPV with every driver at its mode: why the headline is not the modes.
    processes = portfolio_of(12)
    summary = monte_carlo(processes, trials=4_000, seed=2, horizon=60, discount_rate=0.08)
    modes = deterministic_projection(processes, horizon=60, discount_rate=0.08)
    assert summary.npv_mean < modes.npv
    assert summary.npv_p10 < summary.npv_mean < summary.npv_p90
