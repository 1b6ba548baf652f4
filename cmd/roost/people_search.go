package main

import (
	"context"
	"strings"

	"roost/contacts"
	"roost/federation/vocab"
	"roost/feed"
)

// peopleSearch finds the accounts the site knows for the Mastodon API's
// account search: the contacts book first (followed accounts leading),
// then the authors of the posts the feed keeps that the book lacks.
type peopleSearch struct {
	c *contacts.Contacts
	f *feed.Feed
}

func (p peopleSearch) SearchPeople(ctx context.Context, q string, followingOnly bool, limit int) ([]*vocab.Actor, error) {
	out, err := actors(p.c.SearchPeople(ctx, q, followingOnly, limit))
	if err != nil || followingOnly || len(out) >= limit {
		return out, err
	}
	seen := map[string]bool{}
	for _, a := range out {
		seen[a.ID] = true
	}
	authors, err := p.f.SearchAuthors(ctx, q, limit+len(out))
	if err != nil {
		return nil, err
	}
	for _, au := range authors {
		if len(out) >= limit {
			break
		}
		if seen[au.ActorID] || p.c.Hidden(ctx, au.ActorID) {
			continue
		}
		out = append(out, authorActor(au))
	}
	return out, nil
}

// authorActor turns the feed's snapshot of an author into an actor.
func authorActor(au feed.Author) *vocab.Actor {
	a := &vocab.Actor{ID: au.ActorID, Type: vocab.TypePerson, Name: au.Name, IconURL: au.AvatarURL, URL: au.ProfileURL}
	a.Webfinger = strings.TrimPrefix(au.Handle, "@")
	if user, _, ok := cutHandle(a.Webfinger); ok {
		a.PreferredUsername = user
	}
	return a
}

// FindPeople is SearchPeople for the feed room's search page.
func (p peopleSearch) FindPeople(ctx context.Context, q string, limit int) ([]feed.Author, error) {
	list, err := p.SearchPeople(ctx, q, false, limit)
	out := make([]feed.Author, 0, len(list))
	for _, a := range list {
		out = append(out, feed.AuthorOf(a))
	}
	return out, err
}
