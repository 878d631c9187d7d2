"""The README example parser: which blocks run, transcripts, and what the harness does."""

from __future__ import annotations

from pathlib import Path

from support.readme import examples

DOC = """# Title
```sh
A=1
```
```python
print("not shell")
```
```console
$ echo "$A" \\
  again
1 again
```
~~~bash
make run   # the harness serves
.venv/bin/ewtp serve --port 9000
echo done
~~~
"""


def test_shell_blocks_transcripts_and_harness_lines(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(DOC)
    found = examples(readme)
    assert [e.line for e in found] == [2, 8, 13]
    assert found[0].script == "A=1\n"
    assert found[1].script == 'echo "$A" \\\n  again\n'  # output lines are not run
    assert found[2].script == "echo done\n"
    assert found[2].harness == (
        "make run   # the harness serves",
        ".venv/bin/ewtp serve --port 9000",
    )
