"""`s` in the study app suspends the card: out of today's session and every later queue."""

from __future__ import annotations

from quizapp.scheduling.queue import SUSPENDED_UNTIL
from quizapp.storage.repository import review_log
from tests.storage.helpers import item_state

from .conftest import AppFactory, press, settle
from .test_flows import panel_text


async def test_suspend_leaves_the_card_out_and_undo_brings_it_back(make_app: AppFactory) -> None:
    app = make_app("basic.yaml", deck="tui-basic")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "s")
        assert "ENTRYPOINT" in panel_text(app)
        state = await app.backend.with_store(item_state, "tui-basic", "bridge-default")
        assert state.suspended and state.buried_until == SUSPENDED_UNTIL
        assert await app.backend.with_store(review_log) == []
        await press(pilot, "u")
        assert "Which network type" in panel_text(app)
        state = await app.backend.with_store(item_state, "tui-basic", "bridge-default")
        assert not state.suspended
