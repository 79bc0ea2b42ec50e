#!/usr/bin/python3
# Writes the .npy/.npz fixtures of tests/import.sh and tests/t-npy (run once,
# the outputs are committed): every dtype, byte order, memory order and
# format version, with raw little-endian copies (.bin) of the values in C
# order that the test reads independently of the .npy parser; and one bad
# file per class of refusal. Debian: apt-get install python3-numpy.
import io, os, struct, zipfile
import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
os.chdir(here)
os.makedirs("good", exist_ok=True)
os.makedirs("bad", exist_ok=True)

f8 = [0.1, -1.0 / 3.0, 5e-324, -2.2250738585072014e-308 / 3, 1.7976931348623157e308,
      -0.0, 1.0, 2.0 ** -1074 * 12345, 123456789.123, -1e-300, 3.0, 0.5]
f4 = [0.1, -1.0 / 3.0, 1.4e-45, -1e-40, 3.4028234663852886e38, -0.0, 1.0, 2.0 ** -126,
      65504.25, -1e-30, 3.0, 0.5]
for code, vals in (("f8", f8), ("f4", f4)):
    for bo in "<>":
        for order in "CF":
            for ver in (1, 2, 3):
                a = np.array(vals, dtype=bo + code).reshape(3, 4)
                a = np.asfortranarray(a) if order == "F" else np.ascontiguousarray(a)
                name = "good/%s%s-%s-v%d" % ("le" if bo == "<" else "be", code, order, ver)
                with open(name + ".npy", "wb") as f:
                    np.lib.format.write_array(f, a, version=(ver, 0))
                with open(name + ".bin", "wb") as f:
                    f.write(np.ascontiguousarray(a).astype("<" + code).tobytes(order="C"))

rng = np.random.default_rng(7)
V = rng.normal(0, 0.1, (3, 4)); a = np.zeros(4); beta = rng.normal(0, 1, 3)
np.savez("good/problem.npz", V=V, a=a, beta=beta)
np.savez_compressed("good/problem-compressed.npz", V=V.astype(np.float32), a=a, beta=beta)
np.save("good/V.npy", V); np.save("good/a.npy", a); np.save("good/beta.npy", beta)

def npy_bytes(arr, **kw):
    b = io.BytesIO(); np.save(b, arr, **kw); return b.getvalue()

def save_raw(name, data):
    with open("bad/" + name, "wb") as f:
        f.write(data)

good = npy_bytes(V)
save_raw("truncated.npy", good[:-5])
save_raw("trailing.npy", good + b"\0\0\0\0\0\0\0\0")
save_raw("truncated-header.npy", good[:30])
save_raw("bad-magic.npy", b"\x93NUMPX" + good[6:])
save_raw("version9.npy", good[:6] + b"\x09\x00" + good[8:])
save_raw("int64.npy", npy_bytes(np.arange(4, dtype=np.int64)))
save_raw("complex.npy", npy_bytes(np.ones(4, dtype=np.complex128)))
save_raw("float16.npy", npy_bytes(np.ones(4, dtype=np.float16)))
save_raw("object.npy", npy_bytes(np.array([1.0, "x"], dtype=object), allow_pickle=True))
save_raw("structured.npy", npy_bytes(np.zeros(2, dtype=[("x", "<f8"), ("y", "<f8")])))
save_raw("nan.npy", npy_bytes(np.array([1.0, np.nan])))
save_raw("inf.npy", npy_bytes(np.array([np.inf, 1.0], dtype=np.float32)))
save_raw("shape-lie.npy", good.replace(b"(3, 4)", b"(9, 4)"))
np.savez("bad/V-1d.npz", V=np.ones(4), a=a, beta=beta)
np.savez("bad/a-wrong-length.npz", V=V, a=np.zeros(5), beta=beta)
np.savez("bad/no-beta.npz", V=V, a=a)
np.savez("bad/V-object.npz", V=np.array([[1.0, None]], dtype=object), a=a[:2], beta=beta[:1])
save_raw("not-a-zip.npz", b"this is not a zip archive\n")

# zip bombs: an entry that declares more than the limit (refused before any
# inflation), and one that inflates to more than it declares.
def patched_zip(name, declared):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("V.npy", npy_bytes(np.zeros((256, 256))))
        z.writestr("a.npy", npy_bytes(a)); z.writestr("beta.npy", npy_bytes(beta))
    data = bytearray(buf.getvalue())
    # the uncompressed size of V.npy: local header (offset 22) and central directory (offset 24)
    lh = data.find(b"PK\x03\x04"); struct.pack_into("<I", data, lh + 22, declared)
    cd = data.find(b"PK\x01\x02"); struct.pack_into("<I", data, cd + 24, declared)
    save_raw(name, bytes(data))
patched_zip("bomb-declared.npz", 0xFFFFFF00)
patched_zip("bomb-lying.npz", 1000)
