package redistest

import (
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func TestStartStopRestart(t *testing.T) {
	t.Parallel()
	s := Start(t)
	require.NoError(t, ping(s.Addr()))
	s.Stop()
	require.Error(t, ping(s.Addr()), "stopped")
	s.Stop()
	s.Restart(t)
	require.NoError(t, ping(s.Addr()), "up again on the same address")
}
