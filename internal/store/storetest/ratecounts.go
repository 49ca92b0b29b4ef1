package storetest

import (
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/gatehouse/gatehouse/internal/directory"
)

var rateCountCases = []testCase{
	{"RateCountsAdd", testRateCountsAdd},
	{"RateCountsConcurrent", testRateCountsConcurrent},
	{"RateCountsLargeBatch", testRateCountsLargeBatch},
	{"RateCountsDelete", testRateCountsDelete},
}

func rc(account int64, w directory.RateWindow, start, count int64) directory.RateCount {
	return directory.RateCount{AccountID: account, Window: w, Start: start, Count: count}
}

// addRates adds deltas and fails t unless the store returns want.
func addRates(t *testing.T, s directory.Store, deltas, want []directory.RateCount) {
	t.Helper()
	got, err := s.AddRateCounts(ctx, deltas)
	must(t, err)
	equal(t, "totals", got, want)
}

// testRateCountsAdd checks that counts add up per window, that totals come
// back in the order of the deltas, that one window named twice counts
// twice, and that a zero delta reads a total.
func testRateCountsAdd(t *testing.T, open Opener) {
	s := openStore(t, open)
	const sec, hour = 1_767_225_600, 1_767_225_600 // 2026-01-01T00:00:00Z
	addRates(t, s, nil, []directory.RateCount{})
	first := []directory.RateCount{rc(1, directory.RateSecond, sec, 3), rc(1, directory.RateHour, hour, 3), rc(2, directory.RateSecond, sec, 1)}
	addRates(t, s, first, first)
	addRates(t, s,
		[]directory.RateCount{rc(2, directory.RateSecond, sec, 4), rc(1, directory.RateSecond, sec, 2), rc(1, directory.RateSecond, sec, 1), rc(1, directory.RateSecond, sec+1, 1)},
		[]directory.RateCount{rc(2, directory.RateSecond, sec, 5), rc(1, directory.RateSecond, sec, 6), rc(1, directory.RateSecond, sec, 6), rc(1, directory.RateSecond, sec+1, 1)})
	addRates(t, s,
		[]directory.RateCount{rc(1, directory.RateHour, hour, 0), rc(3, directory.RateSecond, sec, 0)},
		[]directory.RateCount{rc(1, directory.RateHour, hour, 3), rc(3, directory.RateSecond, sec, 0)})

	// Counts are in the database, not in the store value.
	must(t, s.Close())
	s = openStore(t, open)
	addRates(t, s, []directory.RateCount{rc(1, directory.RateSecond, sec, 1)}, []directory.RateCount{rc(1, directory.RateSecond, sec, 7)})
}

// testRateCountsConcurrent adds to the same windows from many goroutines at
// once, as instances do, each naming the windows in its own order: no
// addition may be lost, and none may deadlock.
func testRateCountsConcurrent(t *testing.T, open Opener) {
	s := openStore(t, open)
	const workers, rounds, start = 8, 20, 1_767_225_600
	var windows []directory.RateCount
	for a := range int64(4) {
		windows = append(windows, rc(a+1, directory.RateSecond, start, 1), rc(a+1, directory.RateHour, start, 1))
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			batch := append([]directory.RateCount(nil), windows...)
			for range rounds {
				rand.Shuffle(len(batch), func(i, j int) { batch[i], batch[j] = batch[j], batch[i] })
				totals, err := s.AddRateCounts(ctx, batch)
				if err != nil {
					t.Error(err)
					return
				}
				for i, tot := range totals {
					if tot.AccountID != batch[i].AccountID || tot.Window != batch[i].Window || tot.Count < 1 || tot.Count > workers*rounds {
						t.Errorf("total %+v for delta %+v", tot, batch[i])
						return
					}
				}
			}
		})
	}
	wg.Wait()
	want := make([]directory.RateCount, len(windows))
	read := make([]directory.RateCount, len(windows))
	for i, w := range windows {
		read[i], want[i] = w, w
		read[i].Count, want[i].Count = 0, workers*rounds
	}
	addRates(t, s, read, want)
}

// testRateCountsLargeBatch adds more windows than one statement names.
func testRateCountsLargeBatch(t *testing.T, open Opener) {
	s := openStore(t, open)
	deltas := make([]directory.RateCount, 700)
	want := make([]directory.RateCount, len(deltas))
	for i := range deltas {
		deltas[i] = rc(int64(i+1), directory.RateHour, 3600, int64(i%5+1))
		want[i] = deltas[i]
		want[i].Count *= 2
	}
	addRates(t, s, deltas, deltas)
	addRates(t, s, deltas, want)
}

// testRateCountsDelete checks that deleting old windows of one kind keeps
// newer ones and the other kind's.
func testRateCountsDelete(t *testing.T, open Opener) {
	s := openStore(t, open)
	all := []directory.RateCount{rc(1, directory.RateSecond, 100, 1), rc(1, directory.RateSecond, 200, 1),
		rc(1, directory.RateHour, 0, 1), rc(1, directory.RateHour, 3600, 1)}
	addRates(t, s, all, all)
	must(t, s.DeleteRateCounts(ctx, directory.RateSecond, 200))
	must(t, s.DeleteRateCounts(ctx, directory.RateHour, 0))
	read := []directory.RateCount{rc(1, directory.RateSecond, 100, 0), rc(1, directory.RateSecond, 200, 0),
		rc(1, directory.RateHour, 0, 0), rc(1, directory.RateHour, 3600, 0)}
	addRates(t, s, read, []directory.RateCount{rc(1, directory.RateSecond, 100, 0), rc(1, directory.RateSecond, 200, 1),
		rc(1, directory.RateHour, 0, 1), rc(1, directory.RateHour, 3600, 1)})
}
