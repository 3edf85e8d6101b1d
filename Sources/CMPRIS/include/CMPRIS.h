#ifndef CADENCE_CMPRIS_H
#define CADENCE_CMPRIS_H

#include <stdint.h>

/// An MPRIS player (org.mpris.MediaPlayer2 and .Player at /org/mpris/MediaPlayer2) on the
/// session bus, through libsystemd's sd-bus. Control thread only: sd-bus is not thread-safe.
typedef struct cadence_mpris cadence_mpris;

/// What the desktop, a headset button or `busctl` asked for.
enum cadence_mpris_command {
  CADENCE_MPRIS_PLAY_PAUSE = 1,
  CADENCE_MPRIS_PLAY = 2,
  CADENCE_MPRIS_PAUSE = 3,
  CADENCE_MPRIS_NEXT = 4,
  CADENCE_MPRIS_STOP = 5,
  CADENCE_MPRIS_QUIT = 6,
};

/// Connects to the session bus, exports the player and takes the name
/// org.mpris.MediaPlayer2.cadence (org.mpris.MediaPlayer2.cadence.instance<pid> if another
/// cadence has it). NULL on failure, with a negative errno in *error and the step that failed
/// in *step.
cadence_mpris *cadence_mpris_open(int *error, const char **step);
void cadence_mpris_close(cadence_mpris *m);
/// The bus name taken.
const char *cadence_mpris_name(cadence_mpris *m);
/// The descriptor to poll and the poll events sd-bus wants now.
int cadence_mpris_fd(cadence_mpris *m);
int cadence_mpris_events(cadence_mpris *m);
/// Handles everything waiting on the bus; writes up to `capacity` commands received, returns
/// how many (or a negative errno if the connection failed).
int cadence_mpris_process(cadence_mpris *m, int *commands, int capacity);
/// The run's state. Emits PropertiesChanged for the properties whose value changed.
/// `status` is "Playing", "Paused" or "Stopped"; `length_us` 0 for a run with no planned end.
int cadence_mpris_set_state(
  cadence_mpris *m, const char *status, const char *title, const char *album, int64_t length_us, int can_go_next);
/// Where the run is (the Position property; never signalled, as the specification says).
void cadence_mpris_set_position(cadence_mpris *m, int64_t position_us);

#endif
