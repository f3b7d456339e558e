import shutil
from pathlib import Path

import pytest
import yaml

DATA = Path(__file__).parent / "data"
REAL_CONTENT = Path(__file__).resolve().parents[2] / "content" / "ac-100.yaml"


@pytest.fixture
def content_dir(tmp_path):
    """A private copy of the test content (mini.yaml and its images)."""
    target = tmp_path / "content"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture
def mini_file(content_dir):
    return content_dir / "mini.yaml"


def rewrite(path, change):
    """Load the YAML at ``path``, let ``change(data)`` edit it, write it back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def mini_course(mini_file, course_index):
    from training.loader import load_course_file

    return load_course_file(mini_file).course


@pytest.fixture
def real_course(course_index):
    from training.loader import load_course_file

    return load_course_file(REAL_CONTENT).course
