package main

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"testing"

	"roost/blog"
)

// portrait is a smooth picture that looks like something in screenshots:
// a warm disc on a cool background.
func portrait(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	cx, cy, r := float64(w)/2, float64(h)*0.45, math.Min(float64(w), float64(h))*0.3
	for y := range h {
		for x := range w {
			d := math.Hypot(float64(x)-cx, float64(y)-cy)
			c := color.RGBA{uint8(40 + 60*y/h), uint8(90 + 80*x/w), 160, 255}
			if d < r {
				c = color.RGBA{230, uint8(150 + 60*d/r), 90, 255}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// dressProfile gives alice what a lived-in site has: an avatar and a
// header uploaded through the profile form, and two pages in the menu.
func dressProfile(t *testing.T, alice *testSite) {
	t.Helper()
	ctx := t.Context()
	if code, body := uploadProfilePictures(t, alice, map[string][]byte{"avatar": portrait(t, 400, 400), "header": portrait(t, 1500, 500)}); code != 303 {
		t.Fatalf("profile pictures: %d %s", code, body)
	}
	var menu []int64
	for _, title := range []string{"About", "Now"} {
		pg, err := alice.blog.Create(ctx, blog.ArticleInput{Title: title, Body: "What this page is about.", Page: true})
		if err != nil {
			t.Fatal(err)
		}
		menu = append(menu, pg.ID)
	}
	set := alice.settings.Get()
	set.MenuPages = menu
	if err := alice.settings.Save(ctx, set); err != nil {
		t.Fatal(err)
	}
}
