"""`python -m bot eval --read-check` against the fake endpoint: flag precision and recall,
and RMS-F1 of the single read, the read shown and the read after flagged cells are resolved.
"""

import argparse
import hashlib
import json

from bot.config import Settings
from bot.evaluation.chartset import build_chart_set
from bot.evaluation.command import add_eval_arguments, run_eval
from bot.evaluation.runner import EvalOptions, model_image
from bot.llm.read_check import CHECK_PROMPT, check_image
from bot.tables.table import Table, format_cell
from tests.fakes.fixtures import FAKE_LLM_KEY
from tests.fakes.llm_api import FakeLLMResponse, images_in, prompt_text

SEED = 3


def markdown(table: Table, changes: dict[tuple[int, int], float]) -> str:
    """The table as a model writes it, with some cells (row, column) changed."""
    lines = ["| " + " | ".join(table.columns) + " |", "|" + "---|" * len(table.columns)]
    for i, row in enumerate(table.rows):
        cells = [changes.get((i, j), cell) for j, cell in enumerate(row)]
        lines.append("| " + " | ".join(format_cell(c) for c in cells) + " |")
    return "\n".join(lines) + f"\nTitle: {table.title}\nChart type: bar\nValues: estimated"


def off(value: object, factor: float) -> float:
    assert isinstance(value, float)
    return value * factor + (1 if value >= 0 else -1)


class TwoReaders:
    """The first read gets cell (0, 1) wrong; the check read gets cell (1, 1) wrong."""

    def __init__(self, items):
        self.items = {}
        for item in items:
            image = model_image(item.image, EvalOptions())
            self.items[hashlib.sha256(image.data).hexdigest()] = (item, False)
            self.items[hashlib.sha256(check_image(image).data).hexdigest()] = (item, True)

    def __call__(self, body):
        [image] = images_in(body)
        item, check = self.items[hashlib.sha256(image).hexdigest()]
        assert check == (CHECK_PROMPT.splitlines()[0] in prompt_text(body))
        truth = item.truth
        if check:
            return FakeLLMResponse(markdown(truth, {(1, 1): off(truth.rows[1][1], 1.5)}))
        return FakeLLMResponse(markdown(truth, {(0, 1): off(truth.rows[0][1], 1.3)}))


async def test_flags_are_scored_against_the_true_tables(fake_llm, tmp_path, capsys):
    items = build_chart_set(SEED, 4, types=("bar", "line"), distortions=("clean", "blur"))
    fake_llm.responder = TwoReaders(items)
    parser = argparse.ArgumentParser()
    add_eval_arguments(parser)
    out = tmp_path / "check.json"
    args = parser.parse_args(["--count", "4", "--seed", str(SEED), "--types", "bar,line",
                              "--distortions", "clean,blur", "--rate", "0", "--read-check",
                              "--json", str(out)])
    settings = Settings(_env_file=None, llm_base_url=fake_llm.base_url,
                        llm_api_key=FAKE_LLM_KEY, vision_image_format="image_url")
    assert await run_eval(settings, args) == 0
    printed = capsys.readouterr()
    assert "flag P" in printed.out and "F1 resolved" in printed.out and "[4/4]" in printed.err
    total = json.loads(out.read_text())["total"]
    # Each chart: two cells flagged, one of them (the first read's) really wrong.
    assert (total["n"], total["flagged"], total["wrong"], total["flagged_wrong"]) == (4, 8, 4, 4)
    assert total["precision"] == 0.5 and total["recall"] == 1.0 and total["checks_lost"] == 0
    assert total["f1_single"] < 1.0 and total["f1_shown"] == total["f1_single"]
    assert total["f1_resolved"] == 1.0
    assert len(fake_llm.chat_requests) == 8
