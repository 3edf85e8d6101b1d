import AudioFile
import Coach

extension UserError {
  /// What the runner can do about a sound file that cannot be read or written.
  public static func sound(_ error: AudioFileError) -> UserError {
    switch error {
    case .cannotOpen(_, let reason) where reason == "no such file":
      UserError(
        message: error.description,
        hint:
          "give --sound a path to a WAV, FLAC or OGG file, or a built-in name (\(SoundLibrary.builtInNames.joined(separator: ", ")))",
        code: .noInput)
    case .cannotOpen, .empty:
      UserError(
        message: error.description, hint: "check that the file is a WAV, FLAC or OGG file that a player can open",
        code: .dataError)
    case .unsupportedExtension:
      UserError(message: error.description, hint: nil, code: .usage)
    case .cannotCreate, .writeFailed:
      UserError(
        message: error.description, hint: "check the folder exists, is writable and has space", code: .cannotCreate)
    }
  }
}

extension UserError {
  /// A file the runner named for output that cannot be written.
  public static func output(_ error: OutputError) -> UserError {
    switch error {
    case .folder, .notARegularFile:
      UserError(message: error.description, hint: "name a new file, or a regular file to replace", code: .cannotCreate)
    case .cannotCreate:
      UserError(
        message: error.description, hint: "check the folder exists, is writable and has space", code: .cannotCreate)
    }
  }
}
