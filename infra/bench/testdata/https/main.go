// Command https makes one GET to the URL in its argument with the AWS SDK's
// default HTTP client, as the functions' clients make their calls, trusting
// the certificate in the file named by its second argument, and prints the
// status and the protocol the call went over. The build-tags test builds it
// with the functions' tags.
package main

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"os"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
)

func main() {
	pem, err := os.ReadFile(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(pem)
	client := awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) {
		t.TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	})
	resp, err := client.Do(must(http.NewRequest(http.MethodGet, os.Args[1], nil)))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode, resp.Proto)
}

func must(r *http.Request, err error) *http.Request {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	return r
}
