/** The canned replies page's words, loaded with the page (not with the inbox's first screen). */
export const en = {
  cannedIntro: 'Saved answers for the whole team. In the reply box, type / and a name to insert one.',
  cannedName: 'Name (typed after /)',
  cannedNameHint: '1 to 32 lower-case letters, digits, - or _. Saving a name again replaces its text.',
  cannedText: 'Text',
  saveCanned: 'Save reply',
  newCanned: 'New reply',
  editingCanned: 'Editing /{name}',
  cannedEmpty: 'No canned replies yet.',
  cannedSaved: 'Saved /{name}.',
  cannedDeleted: 'Deleted /{name}.',
  confirmDeleteCanned: 'Delete /{name}?',
}

export type CannedStrings = typeof en

export const id: CannedStrings = {
  cannedIntro: 'Jawaban tersimpan untuk seluruh tim. Di kotak balasan, ketik / dan sebuah nama untuk menyisipkannya.',
  cannedName: 'Nama (diketik setelah /)',
  cannedNameHint: '1 sampai 32 huruf kecil, angka, - atau _. Menyimpan nama yang sama mengganti teksnya.',
  cannedText: 'Teks',
  saveCanned: 'Simpan balasan',
  newCanned: 'Balasan baru',
  editingCanned: 'Mengubah /{name}',
  cannedEmpty: 'Belum ada balasan siap pakai.',
  cannedSaved: '/{name} tersimpan.',
  cannedDeleted: '/{name} dihapus.',
  confirmDeleteCanned: 'Hapus /{name}?',
}
