import pytest

from lab.charts import nice_ceiling
from lab.experiments import percentile, request_stream


@pytest.mark.parametrize(
    ("value", "ceiling"), [(0.3, 0.5), (1, 1), (26.8, 50), (107, 200), (70.1, 100), (0, 1.0)]
)
def test_chart_axes_end_on_a_round_number_at_or_above_the_highest_value(value, ceiling) -> None:
    assert nice_ceiling(value) == pytest.approx(ceiling)


def test_p95_is_a_measured_value_by_nearest_rank() -> None:
    values = [float(n) for n in range(1, 21)]  # 1..20
    assert percentile(values, 0.95) == 19.0
    assert percentile([4.0], 0.95) == 4.0


def test_the_request_stream_is_the_same_every_time_and_favours_popular_pages() -> None:
    pages = list(range(1, 41))
    stream = request_stream(800, 40, pages)
    assert stream == request_stream(800, 40, pages)
    assert stream.count(1) > stream.count(40)
