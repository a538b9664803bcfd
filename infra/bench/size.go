package bench

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
)

// Size is one function's bootstrap as deployed: built for linux/arm64 as
// the Makefile's build targets build it for `sam build`, and zipped as SAM
// uploads it.
type Size struct {
	Function string `json:"function"`
	// Raw and Zipped are in bytes.
	Raw    int64 `json:"rawBytes"`
	Zipped int64 `json:"zippedBytes"`
}

// BuildTags are the Makefile's build tags for every bootstrap, the
// minimal one's too.
const BuildTags = "lambda.norpc,nethttpomithttp2"

// LambdaBuild is how the Makefile builds a bootstrap for Lambda
// (GO_BUILD): keep the two the same.
var LambdaBuild = []string{"build", "-tags", BuildTags, "-trimpath", "-ldflags=-s -w -buildid="}

// Sizes builds each package dir (relative to root: functions/web) for
// linux/arm64 into work and measures its bootstrap raw and zipped, named by
// the dir's last element.
func Sizes(ctx context.Context, root, work string, dirs []string) ([]Size, error) {
	var out []Size
	for _, dir := range slices.Sorted(slices.Values(dirs)) {
		fn := filepath.Base(dir)
		bin := filepath.Join(work, fn, "bootstrap")
		args := append(slices.Clone(LambdaBuild), "-o", bin, "./"+filepath.ToSlash(dir))
		cmd := exec.CommandContext(ctx, "go", args...)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=arm64")
		if b, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("bench: build %s for linux/arm64: %w\n%s", fn, err, b)
		}
		raw, zipped, err := zipSize(bin)
		if err != nil {
			return nil, err
		}
		out = append(out, Size{Function: fn, Raw: raw, Zipped: zipped})
	}
	return out, nil
}

// zipSize returns the size of the file at path and of a zip holding it
// alone, deflated.
func zipSize(path string) (raw, zipped int64, err error) {
	in, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return 0, 0, err
	}
	zpath := path + ".zip"
	zf, err := os.Create(zpath)
	if err != nil {
		return 0, 0, err
	}
	defer zf.Close()
	zw := zip.NewWriter(zf)
	hdr := &zip.FileHeader{Name: filepath.Base(path), Method: zip.Deflate}
	hdr.SetMode(0o755)
	w, err := zw.CreateHeader(hdr)
	if err != nil {
		return 0, 0, err
	}
	if _, err := io.Copy(w, in); err != nil {
		return 0, 0, err
	}
	if err := zw.Close(); err != nil {
		return 0, 0, err
	}
	zst, err := zf.Stat()
	if err != nil {
		return 0, 0, err
	}
	return st.Size(), zst.Size(), nil
}
