#!/usr/bin/env python3
"""Writes a tokenizer-only GGUF: the `tokenizer.*` keys of a model file (and `general.architecture`), no tensors.

Fathom's tests load these small files instead of the models (which are far too big to commit): the tokenizer
keys are all that `fathom tokenize --tokenizer x.gguf` reads. Needs the `gguf` PyPI package (gguf==0.19.0).

    python3 scripts/real_models/make_tokenizer_gguf.py MODEL.gguf OUT.gguf [--gzip]

With --gzip the output is OUT.gguf.gz (deterministic: no file name or time in the gzip header).
"""
import argparse
import gzip
import os
import sys
import tempfile

import gguf


def copy_tokenizer_keys(src, dst):
    reader = gguf.GGUFReader(src)
    arch = reader.fields["general.architecture"].contents()
    writer = gguf.GGUFWriter(dst, arch)  # writes general.architecture itself
    kept = 0
    for name, field in reader.fields.items():
        if not name.startswith("tokenizer."):
            continue
        vtype = field.types[0]
        if vtype == gguf.GGUFValueType.ARRAY:
            writer.add_key_value(name, field.contents(), vtype, sub_type=field.types[-1])
        else:
            writer.add_key_value(name, field.contents(), vtype)
        kept += 1
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return kept


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model")
    ap.add_argument("out")
    ap.add_argument("--gzip", action="store_true", help="write OUT.gz, gzip level 9, reproducible")
    args = ap.parse_args()
    if args.gzip:
        fd, tmp = tempfile.mkstemp(suffix=".gguf")
        os.close(fd)
        kept = copy_tokenizer_keys(args.model, tmp)
        with open(tmp, "rb") as f, open(args.out + ".gz", "wb") as raw:
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as z:
                z.write(f.read())
        os.remove(tmp)
        out = args.out + ".gz"
    else:
        kept = copy_tokenizer_keys(args.model, args.out)
        out = args.out
    print(f"{out}: {kept} tokenizer keys, {os.path.getsize(out):,} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
