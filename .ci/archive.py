"""Packs the accord binary of a built wheel into the release archive of its target.

Usage: python archive.py WHEEL TARGET OUT_DIR

Writes OUT_DIR/accord-<version>-<target>.tar.gz (.zip for Windows targets) holding
`accord` (`accord.exe`), README.md and the two licences, and beside it the archive's
`.sha256` in the format `sha256sum -c` reads. The binary is taken from the wheel, so
the archive and the wheel of a release carry the same build; the version is the
wheel's, which maturin took from Cargo.toml.
"""

import hashlib
import io
import sys
import tarfile
import zipfile
from pathlib import Path

DOCUMENTS = ["README.md", "LICENSE-MIT", "LICENSE-APACHE"]


def binary_in(wheel: zipfile.ZipFile) -> tuple[str, bytes]:
    """The one file under the wheel's .data/scripts/: the accord executable."""
    scripts = [n for n in wheel.namelist() if ".data/scripts/" in n]
    if len(scripts) != 1:
        sys.exit(f"archive: expected one executable in the wheel, found {scripts}")
    name = scripts[0].rsplit("/", 1)[1]
    return name, wheel.read(scripts[0])


def main() -> None:
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    wheel_path, target, out_dir = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    # accord_cli-0.1.0-py3-none-<platform>.whl
    version = wheel_path.name.split("-")[1]
    repo_root = Path(__file__).resolve().parent.parent
    with zipfile.ZipFile(wheel_path) as wheel:
        binary_name, binary = binary_in(wheel)
    files = [(binary_name, binary, 0o755)] + [
        (doc, (repo_root / doc).read_bytes(), 0o644) for doc in DOCUMENTS
    ]
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"accord-{version}-{target}"
    if "windows" in target:
        archive = out_dir / f"{stem}.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as packed:
            for name, data, _ in files:
                packed.writestr(name, data)
    else:
        archive = out_dir / f"{stem}.tar.gz"
        with tarfile.open(archive, "w:gz") as packed:
            for name, data, mode in files:
                entry = tarfile.TarInfo(name)
                entry.size, entry.mode = len(data), mode
                packed.addfile(entry, io.BytesIO(data))
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    Path(f"{archive}.sha256").write_text(f"{digest}  {archive.name}\n")
    print(archive)


if __name__ == "__main__":
    main()
