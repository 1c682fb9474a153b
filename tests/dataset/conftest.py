"""Print how many hypothesis examples the fuzz tests ran (recorded in their reports)."""

from __future__ import annotations


def pytest_terminal_summary(terminalreporter):
    counts = [(report.nodeid, value)
              for reports in terminalreporter.stats.values() for report in reports
              if getattr(report, "when", None) == "call"
              for name, value in getattr(report, "user_properties", ()) if name == "hypothesis_examples"]
    if counts:
        terminalreporter.section("hypothesis examples run")
        for nodeid, value in sorted(counts):
            terminalreporter.write_line(f"{nodeid}: {value} examples")
