#define _GNU_SOURCE
#include "CMPRIS.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <systemd/sd-bus.h>

#define OBJECT_PATH "/org/mpris/MediaPlayer2"
#define ROOT_INTERFACE "org.mpris.MediaPlayer2"
#define PLAYER_INTERFACE "org.mpris.MediaPlayer2.Player"
#define TRACK_ID "/org/cadence/run"
#define QUEUE_SIZE 32

struct cadence_mpris {
  sd_bus *bus;
  sd_bus_slot *root_slot;
  sd_bus_slot *player_slot;
  char name[96];
  char status[16];
  char title[256];
  char album[128];
  int64_t length_us;
  int64_t position_us;
  int can_go_next;
  /// Commands received since the last cadence_mpris_process returned them.
  int queue[QUEUE_SIZE];
  int queued;
};

static void enqueue(cadence_mpris *m, int command) {
  if (m->queued < QUEUE_SIZE) m->queue[m->queued++] = command;
}

static int method_command(sd_bus_message *message, void *userdata, int command) {
  enqueue(userdata, command);
  return sd_bus_reply_method_return(message, "");
}

static int on_play_pause(sd_bus_message *m, void *u, sd_bus_error *e) { return method_command(m, u, CADENCE_MPRIS_PLAY_PAUSE); }
static int on_play(sd_bus_message *m, void *u, sd_bus_error *e) { return method_command(m, u, CADENCE_MPRIS_PLAY); }
static int on_pause(sd_bus_message *m, void *u, sd_bus_error *e) { return method_command(m, u, CADENCE_MPRIS_PAUSE); }
static int on_next(sd_bus_message *m, void *u, sd_bus_error *e) { return method_command(m, u, CADENCE_MPRIS_NEXT); }
static int on_stop(sd_bus_message *m, void *u, sd_bus_error *e) { return method_command(m, u, CADENCE_MPRIS_STOP); }
static int on_quit(sd_bus_message *m, void *u, sd_bus_error *e) { return method_command(m, u, CADENCE_MPRIS_QUIT); }
/// Previous, Seek, SetPosition, Raise: a cadence run has nothing to go back or seek to; the
/// specification says such calls do nothing (CanGoPrevious and CanSeek are false).
static int on_ignored(sd_bus_message *m, void *u, sd_bus_error *e) { return sd_bus_reply_method_return(m, ""); }
static int on_open_uri(sd_bus_message *m, void *u, sd_bus_error *e) {
  return sd_bus_error_set(e, SD_BUS_ERROR_NOT_SUPPORTED, "cadence plays clicks, not files");
}

static int get_bool_true(sd_bus *b, const char *p, const char *i, const char *n, sd_bus_message *r, void *u, sd_bus_error *e) {
  return sd_bus_message_append(r, "b", 1);
}
static int get_bool_false(sd_bus *b, const char *p, const char *i, const char *n, sd_bus_message *r, void *u, sd_bus_error *e) {
  return sd_bus_message_append(r, "b", 0);
}
static int get_identity(sd_bus *b, const char *p, const char *i, const char *n, sd_bus_message *r, void *u, sd_bus_error *e) {
  return sd_bus_message_append(r, "s", "cadence");
}
static int get_empty_strings(sd_bus *b, const char *p, const char *i, const char *n, sd_bus_message *r, void *u, sd_bus_error *e) {
  return sd_bus_message_append(r, "as", 0);
}
static int get_status(sd_bus *b, const char *p, const char *i, const char *n, sd_bus_message *r, void *u, sd_bus_error *e) {
  cadence_mpris *m = u;
  return sd_bus_message_append(r, "s", m->status);
}
static int get_rate(sd_bus *b, const char *p, const char *i, const char *n, sd_bus_message *r, void *u, sd_bus_error *e) {
  return sd_bus_message_append(r, "d", 1.0);
}
static int get_position(sd_bus *b, const char *p, const char *i, const char *n, sd_bus_message *r, void *u, sd_bus_error *e) {
  cadence_mpris *m = u;
  return sd_bus_message_append(r, "x", m->position_us);
}
static int get_can_go_next(sd_bus *b, const char *p, const char *i, const char *n, sd_bus_message *r, void *u, sd_bus_error *e) {
  cadence_mpris *m = u;
  return sd_bus_message_append(r, "b", m->can_go_next);
}
static int get_metadata(sd_bus *b, const char *p, const char *i, const char *n, sd_bus_message *r, void *u, sd_bus_error *e) {
  cadence_mpris *m = u;
  int k = sd_bus_message_open_container(r, 'a', "{sv}");
  if (k < 0) return k;
  k = sd_bus_message_append(r, "{sv}", "mpris:trackid", "o", TRACK_ID);
  if (k < 0) return k;
  k = sd_bus_message_append(r, "{sv}", "xesam:title", "s", m->title);
  if (k < 0) return k;
  k = sd_bus_message_append(r, "{sv}", "xesam:artist", "as", 1, "cadence");
  if (k < 0) return k;
  k = sd_bus_message_append(r, "{sv}", "xesam:album", "s", m->album);
  if (k < 0) return k;
  if (m->length_us > 0) {
    k = sd_bus_message_append(r, "{sv}", "mpris:length", "x", m->length_us);
    if (k < 0) return k;
  }
  return sd_bus_message_close_container(r);
}

static const sd_bus_vtable root_vtable[] = {
  SD_BUS_VTABLE_START(0),
  SD_BUS_METHOD("Raise", "", "", on_ignored, SD_BUS_VTABLE_UNPRIVILEGED),
  SD_BUS_METHOD("Quit", "", "", on_quit, SD_BUS_VTABLE_UNPRIVILEGED),
  SD_BUS_PROPERTY("CanQuit", "b", get_bool_true, 0, SD_BUS_VTABLE_PROPERTY_CONST),
  SD_BUS_PROPERTY("CanRaise", "b", get_bool_false, 0, SD_BUS_VTABLE_PROPERTY_CONST),
  SD_BUS_PROPERTY("HasTrackList", "b", get_bool_false, 0, SD_BUS_VTABLE_PROPERTY_CONST),
  SD_BUS_PROPERTY("Identity", "s", get_identity, 0, SD_BUS_VTABLE_PROPERTY_CONST),
  SD_BUS_PROPERTY("SupportedUriSchemes", "as", get_empty_strings, 0, SD_BUS_VTABLE_PROPERTY_CONST),
  SD_BUS_PROPERTY("SupportedMimeTypes", "as", get_empty_strings, 0, SD_BUS_VTABLE_PROPERTY_CONST),
  SD_BUS_VTABLE_END,
};

static const sd_bus_vtable player_vtable[] = {
  SD_BUS_VTABLE_START(0),
  SD_BUS_METHOD("Next", "", "", on_next, SD_BUS_VTABLE_UNPRIVILEGED),
  SD_BUS_METHOD("Previous", "", "", on_ignored, SD_BUS_VTABLE_UNPRIVILEGED),
  SD_BUS_METHOD("Pause", "", "", on_pause, SD_BUS_VTABLE_UNPRIVILEGED),
  SD_BUS_METHOD("PlayPause", "", "", on_play_pause, SD_BUS_VTABLE_UNPRIVILEGED),
  SD_BUS_METHOD("Stop", "", "", on_stop, SD_BUS_VTABLE_UNPRIVILEGED),
  SD_BUS_METHOD("Play", "", "", on_play, SD_BUS_VTABLE_UNPRIVILEGED),
  SD_BUS_METHOD("Seek", "x", "", on_ignored, SD_BUS_VTABLE_UNPRIVILEGED),
  SD_BUS_METHOD("SetPosition", "ox", "", on_ignored, SD_BUS_VTABLE_UNPRIVILEGED),
  SD_BUS_METHOD("OpenUri", "s", "", on_open_uri, SD_BUS_VTABLE_UNPRIVILEGED),
  SD_BUS_PROPERTY("PlaybackStatus", "s", get_status, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
  SD_BUS_PROPERTY("Rate", "d", get_rate, 0, SD_BUS_VTABLE_PROPERTY_CONST),
  SD_BUS_PROPERTY("MinimumRate", "d", get_rate, 0, SD_BUS_VTABLE_PROPERTY_CONST),
  SD_BUS_PROPERTY("MaximumRate", "d", get_rate, 0, SD_BUS_VTABLE_PROPERTY_CONST),
  SD_BUS_PROPERTY("Metadata", "a{sv}", get_metadata, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
  SD_BUS_PROPERTY("Position", "x", get_position, 0, 0),
  SD_BUS_PROPERTY("CanGoNext", "b", get_can_go_next, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
  SD_BUS_PROPERTY("CanGoPrevious", "b", get_bool_false, 0, SD_BUS_VTABLE_PROPERTY_CONST),
  SD_BUS_PROPERTY("CanPlay", "b", get_bool_true, 0, SD_BUS_VTABLE_PROPERTY_CONST),
  SD_BUS_PROPERTY("CanPause", "b", get_bool_true, 0, SD_BUS_VTABLE_PROPERTY_CONST),
  SD_BUS_PROPERTY("CanSeek", "b", get_bool_false, 0, SD_BUS_VTABLE_PROPERTY_CONST),
  SD_BUS_PROPERTY("CanControl", "b", get_bool_true, 0, SD_BUS_VTABLE_PROPERTY_CONST),
  SD_BUS_VTABLE_END,
};

cadence_mpris *cadence_mpris_open(int *error, const char **step) {
  cadence_mpris *m = calloc(1, sizeof *m);
  if (!m) {
    *error = -ENOMEM;
    *step = "calloc";
    return NULL;
  }
  strcpy(m->status, "Stopped");
  int r = sd_bus_open_user(&m->bus);
  if (r < 0) {
    *step = "sd_bus_open_user";
    goto fail;
  }
  r = sd_bus_add_object_vtable(m->bus, &m->root_slot, OBJECT_PATH, ROOT_INTERFACE, root_vtable, m);
  if (r < 0) {
    *step = "sd_bus_add_object_vtable";
    goto fail;
  }
  r = sd_bus_add_object_vtable(m->bus, &m->player_slot, OBJECT_PATH, PLAYER_INTERFACE, player_vtable, m);
  if (r < 0) {
    *step = "sd_bus_add_object_vtable";
    goto fail;
  }
  strcpy(m->name, "org.mpris.MediaPlayer2.cadence");
  r = sd_bus_request_name(m->bus, m->name, 0);
  if (r == -EEXIST) {
    snprintf(m->name, sizeof m->name, "org.mpris.MediaPlayer2.cadence.instance%ld", (long)getpid());
    r = sd_bus_request_name(m->bus, m->name, 0);
  }
  if (r < 0) {
    *step = "sd_bus_request_name";
    goto fail;
  }
  return m;
fail:
  *error = r;
  cadence_mpris_close(m);
  return NULL;
}

void cadence_mpris_close(cadence_mpris *m) {
  if (!m) return;
  sd_bus_slot_unref(m->player_slot);
  sd_bus_slot_unref(m->root_slot);
  if (m->bus) sd_bus_flush_close_unref(m->bus);
  free(m);
}

const char *cadence_mpris_name(cadence_mpris *m) { return m->name; }
int cadence_mpris_fd(cadence_mpris *m) { return sd_bus_get_fd(m->bus); }
int cadence_mpris_events(cadence_mpris *m) { return sd_bus_get_events(m->bus); }

int cadence_mpris_process(cadence_mpris *m, int *commands, int capacity) {
  for (int i = 0; i < 64; i++) {
    int r = sd_bus_process(m->bus, NULL);
    if (r < 0) return r;
    if (r == 0) break;
  }
  int n = m->queued < capacity ? m->queued : capacity;
  memcpy(commands, m->queue, (size_t)n * sizeof(int));
  m->queued = 0;
  return n;
}

static int copy_changed(char *to, size_t size, const char *from) {
  if (strncmp(to, from, size - 1) == 0) return 0;
  snprintf(to, size, "%s", from);
  return 1;
}

int cadence_mpris_set_state(
  cadence_mpris *m, const char *status, const char *title, const char *album, int64_t length_us, int can_go_next) {
  int status_changed = copy_changed(m->status, sizeof m->status, status);
  int metadata_changed = copy_changed(m->title, sizeof m->title, title);
  metadata_changed |= copy_changed(m->album, sizeof m->album, album);
  if (m->length_us != length_us) {
    m->length_us = length_us;
    metadata_changed = 1;
  }
  int next_changed = m->can_go_next != (can_go_next != 0);
  m->can_go_next = can_go_next != 0;
  const char *names[4];
  int count = 0;
  if (status_changed) names[count++] = "PlaybackStatus";
  if (metadata_changed) names[count++] = "Metadata";
  if (next_changed) names[count++] = "CanGoNext";
  names[count] = NULL;
  if (count == 0) return 0;
  return sd_bus_emit_properties_changed_strv(m->bus, OBJECT_PATH, PLAYER_INTERFACE, (char **)names);
}

void cadence_mpris_set_position(cadence_mpris *m, int64_t position_us) { m->position_us = position_us; }
