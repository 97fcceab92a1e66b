"""An in-memory FileRepository, for unit tests of the file use cases only."""
import copy

from employment.service_layer.file_ports import FileRepository


class FakeFiles(FileRepository):
    def __init__(self):
        self.metadata = {}
        self.blobs = {}

    def add(self, stored_file, data):
        self.blobs[stored_file.file_id] = bytes(data)
        self.metadata[stored_file.file_id] = copy.deepcopy(stored_file)  # last, as the real store does

    def get(self, file_id):
        found = self.metadata.get(file_id) if isinstance(file_id, str) else None
        return copy.deepcopy(found)

    def read(self, stored_file):
        return stored_file.verify(self.blobs[stored_file.file_id])

    def corrupt(self, file_id, data):
        """What a damaged store would hand back."""
        self.blobs[file_id] = data
