"""The app's start-up failure screen names the file an OS error is about (issue 17), no class names."""

from __future__ import annotations

import errno

from assistant.ui.app import CoachApp


async def test_a_data_file_that_is_a_folder_is_named_on_the_startup_screen():
    from assistant.ui.screens.startup_error import StartupErrorScreen

    def broken():
        raise IsADirectoryError(errno.EISDIR, "Is a directory", "/x/coach/.lock")

    app = CoachApp(build=broken)
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, StartupErrorScreen)
        shown = str(app.screen.query_one("#startup-error").render())
        assert "/x/coach/.lock" in shown and "文件夹" in shown
        assert "IsADirectoryError" not in shown and "意外错误" not in shown
