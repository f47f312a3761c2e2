"""Charts drawn moments ago come back from memory, bounded by bytes."""

from bot.charts.cache import RenderCache
from bot.charts.render import ChartRenderer
from bot.charts.spec import ChartSpec
from bot.tables.table import Table

TABLE = Table.build(["Year", "Sales"], [("2021", 10), ("2022", 12), ("2023", 15)])


def test_least_recently_used_charts_leave_first_when_bytes_run_out():
    cache = RenderCache(max_bytes=1000)
    for key in (b"a", b"b", b"c", b"d"):
        cache.put(key, b"x" * 240)
    assert cache.get(b"a") is not None  # now the most recently used
    cache.put(b"e", b"x" * 240)
    assert cache.get(b"b") is None
    assert [cache.get(k) is not None for k in (b"a", b"c", b"d", b"e")] == [True] * 4
    assert cache.size_bytes == 960 and len(cache) == 4


def test_an_image_too_big_for_the_cache_is_not_kept():
    cache = RenderCache(max_bytes=1000)
    cache.put(b"a", b"x" * 251)
    assert cache.get(b"a") is None and cache.size_bytes == 0


def test_the_key_tells_apart_every_change_to_table_or_spec():
    keys = {
        RenderCache.key(TABLE, ChartSpec(type="bar")),
        RenderCache.key(TABLE, ChartSpec(type="pie")),
        RenderCache.key(TABLE, ChartSpec(type="bar", sort="value_desc")),
        RenderCache.key(TABLE.model_copy(update={"title": "Sales"}), ChartSpec(type="bar")),
        RenderCache.key(Table.build(["Year", "Sales"], [("2021", 10), ("2022", 13),
                                                         ("2023", 15)]), ChartSpec(type="bar")),
    }
    assert len(keys) == 5
    assert RenderCache.key(TABLE, ChartSpec(type="bar")) in keys


async def test_drawing_the_same_chart_again_costs_no_render():
    renderer = ChartRenderer(workers=0)
    try:
        pie = await renderer.render(TABLE, ChartSpec(type="pie"))
        bar = await renderer.render(TABLE, ChartSpec(type="bar"))
        assert renderer.cache.misses == 2 and renderer.cache.hits == 0
        assert await renderer.render(TABLE, ChartSpec(type="pie")) == pie
        assert await renderer.render(TABLE, ChartSpec(type="bar")) == bar
        assert renderer.cache.hits == 2 and renderer.cache.misses == 2
    finally:
        renderer.close()
