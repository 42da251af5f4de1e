"""What the app tests share: wait for the workers, and the panel's words as the engine ranks them."""

from tui.modes.write.writer import FLOOR


async def settle(app, pilot):
    await app.workers.wait_for_complete()
    await pilot.pause()


def words(model, text, k=8):
    """The engine's top k, less the rows under the panel's probability floor."""
    ranked = model.next_words(text, k)
    return [c.token_str for i, c in enumerate(ranked) if i == 0 or c.score >= FLOOR]
